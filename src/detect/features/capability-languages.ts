/**
 * Strong capability cues of capability.ts in the other languages the elicitation cues cover:
 * Chinese (simplified and traditional), Japanese, Korean, Spanish, Portuguese, French, German and
 * Russian. Only unambiguous domain words (code, algorithm, equation, probability, poem, essay,
 * vulnerability, malware…), so a prompt in those languages gets its class from its vocabulary as
 * an English one does, not just from its shape. Words spelt as in English ("python", "malware")
 * are in capability.ts already and not repeated. Korean nouns are listed with every particle that
 * may follow them (취약점을, 취약점이…), as Korean is matched by its spaced words.
 */

/** Case and topic particles written onto a Korean noun. */
const PARTICLES = [
  '',
  '을',
  '를',
  '이',
  '가',
  '은',
  '는',
  '의',
  '로',
  '으로',
  '에',
  '에서',
  '와',
  '과',
  '도',
];

/** A Korean noun in each of its particle-bearing forms. */
function korean(...nouns: string[]): string[] {
  return nouns.flatMap((noun) => PARTICLES.map((particle) => noun + particle));
}

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
    ...korean('취약점', '악성코드', '랜섬웨어', '피싱'),
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
    'sicherheitslücke',
    'sicherheitslücken',
    'schadsoftware',
    // Russian
    'уязвимость',
    'уязвимости',
    'вредоносное по',
    'эксплойт',
    'фишинг',
  ],
  agentic: [
    '调用工具',
    '呼叫工具',
    '工具调用',
    '智能体',
    'ツールを呼び出',
    'エージェント',
    ...korean('에이전트'),
    'agente autónomo',
    'agent autonome',
    'autonomer agent',
    'агент',
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
    ...korean('코드', '프로그램', '프로그래밍', '알고리즘', '디버깅'),
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
    'quellcode',
    'programmieren',
    'programmiere',
    'algorithmus',
    // Russian
    'код',
    'кода',
    'программу',
    'программирование',
    'алгоритм',
    'функцию',
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
    ...korean('방정식', '확률', '미분', '적분', '수학'),
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
    'gleichung',
    'gleichungen',
    'wahrscheinlichkeit',
    'ableitung',
    'mathematik',
    'berechne',
    'berechnen sie',
    // Russian
    'уравнение',
    'уравнения',
    'вероятность',
    'производную',
    'интеграл',
    'математика',
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
    ...korean('에세이', '소설', '번역', '요약'),
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
    'gedicht',
    'aufsatz',
    'übersetze',
    'zusammenfassung',
    // Russian
    'стихотворение',
    'сочинение',
    'рассказ',
    'эссе',
    'переведи',
    'перевод',
  ],
} as const;
