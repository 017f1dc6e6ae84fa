/**
 * Strong capability cues of capability.ts in the other languages the elicitation cues cover:
 * Chinese (simplified and traditional), Japanese, Korean, Spanish, Portuguese, French, German and
 * Russian. Only unambiguous domain words (code, algorithm, equation, probability, poem, essay,
 * vulnerability, malware…), so a prompt in those languages gets its class from its vocabulary as
 * an English one does, not just from its shape. Words spelt as in English ("python", "malware")
 * are in capability.ts already and not repeated. Korean nouns are listed with every particle that
 * may follow them (취약점을, 취약점이…), as Korean is matched by its spaced words.
 */
import { withParticles } from './korean-particles.js';
import { germanNouns, russianAdjectives, russianNouns } from './noun-forms.js';

/** Strong cues per domain, in capability.ts's domain names. */
export const STRONG_CUES = {
  security: [
    // Chinese
    '漏洞',
    '恶意软件',
    '惡意軟體',
    '勒索软件',
    '勒索軟體',
    '木马',
    '木馬',
    '渗透测试',
    '滲透測試',
    '钓鱼攻击',
    '釣魚攻擊',
    '提权',
    // Japanese
    '脆弱性',
    'マルウェア',
    'ランサムウェア',
    'フィッシング',
    'ペネトレーションテスト',
    ...withParticles('취약점', '악성코드', '랜섬웨어', '피싱'),
    // Spanish, Portuguese
    'vulnerabilidad',
    'vulnerabilidades',
    'vulnerabilidade',
    'vulnerabilidades de seguridad',
    'suplantación de identidad',
    // French
    'vulnérabilité',
    'vulnérabilités',
    'logiciel malveillant',
    'hameçonnage',
    // German
    ...germanNouns('sicherheitslücke', 'schadsoftware'),
    // Russian
    ...russianNouns('уязвимост', 'эксплойт', 'фишинг'),
    'вредоносное по',
  ],
  agentic: [
    '调用工具',
    '呼叫工具',
    '工具调用',
    '智能体',
    'ツールを呼び出',
    'エージェント',
    ...withParticles('에이전트'),
    'agente autónomo',
    'agent autonome',
    'autonomer agent',
    ...russianNouns('агент'),
  ],
  coding: [
    // Chinese
    '代码',
    '程式碼',
    '编程',
    '程式設計',
    '编写程序',
    '算法',
    '演算法',
    '调试',
    '除错',
    '数据结构',
    '資料結構',
    // Japanese
    'コード',
    'プログラム',
    'プログラミング',
    'アルゴリズム',
    'デバッグ',
    'データ構造',
    ...withParticles('코드', '프로그램', '프로그래밍', '알고리즘', '디버깅'),
    // Spanish, Portuguese
    'código',
    'programación',
    'programação',
    'algoritmo',
    'depurar',
    // French
    'programmation',
    'algorithme',
    'déboguer',
    // German
    ...germanNouns('quellcode'),
    'programmieren',
    'programmiere',
    'algorithmus',
    'algorithmen',
    // Russian
    ...russianNouns('код', 'программ', 'программировани', 'алгоритм', 'функци'),
  ],
  math: [
    // Chinese
    '方程',
    '求解',
    '概率',
    '機率',
    '积分',
    '積分',
    '导数',
    '導數',
    '几何',
    '幾何',
    '面积',
    '面積',
    '数学',
    '數學',
    // Japanese
    '方程式',
    '確率',
    '微分',
    '数学の',
    ...withParticles('방정식', '확률', '미분', '적분', '수학'),
    // Spanish, Portuguese
    'ecuación',
    'ecuaciones',
    'equação',
    'probabilidad',
    'probabilidade',
    'derivada',
    'matemáticas',
    'matemática',
    'calcula',
    'calcule',
    // French
    'équation',
    'équations',
    'probabilité',
    'dérivée',
    'mathématiques',
    'calculez',
    // German
    ...germanNouns('gleichung', 'wahrscheinlichkeit', 'ableitung', 'mathematik'),
    'berechne',
    'berechnen sie',
    // Russian
    ...russianNouns('уравнени', 'вероятност', 'интеграл', 'математик'),
    ...russianAdjectives('производн'),
    'вычисли',
    'вычислите',
  ],
  writing: [
    // Chinese
    '写一首',
    '寫一首',
    '诗',
    '詩',
    '诗歌',
    '詩歌',
    '作文',
    '文章',
    '小说',
    '小說',
    '故事',
    '翻译',
    '翻譯',
    '摘要',
    '总结',
    '總結',
    // Japanese
    '小説',
    '物語',
    '記事',
    '翻訳',
    '要約',
    '시를',
    ...withParticles('에세이', '소설', '번역', '요약'),
    // Spanish, Portuguese
    'poema',
    'ensayo',
    'cuento',
    'redacta',
    'redação',
    'traduce',
    'traduza',
    'resuma',
    // French
    'poème',
    'rédige',
    'rédigez',
    'traduis',
    'traduisez',
    'résume',
    // German
    ...germanNouns('gedicht', 'aufsatz'),
    'aufsätze',
    'übersetze',
    'zusammenfassung',
    // Russian
    ...russianNouns('стихотворени', 'сочинени', 'рассказ'),
    'эссе',
    'переведи',
    ...russianNouns('перевод'),
  ],
} as const;
