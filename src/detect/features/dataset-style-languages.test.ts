import { describe, expect, it } from 'vitest';
import { datasetStyle } from './dataset-style.js';
import { profileText } from './tokens.js';

/**
 * Query-set items and chat turns written by hand in each language before its cue lists were
 * written (one hand, a few per language: a check that the cues work as meant, not a
 * measurement of accuracy). Before the lists and the script-aware tidiness features, every
 * Chinese, Japanese, Korean and Russian item scored as conversation (70 of 98 on the right side
 * of 0.5, all Chinese items at 0.20–0.28).
 */
const EXAMPLES: Record<string, { dataset: string[]; chat: string[] }> = {
  zh: {
    dataset: [
      '计算下列表达式的值：3×(4+5)-7。',
      '小明有5个苹果，给了小红2个，又买了3个。小明现在有多少个苹果？',
      '请将下面的句子翻译成英文：我今天很高兴。',
      '以下哪个选项是中国的首都？\nA. 上海\nB. 北京\nC. 广州\nD. 深圳\n答案：',
      '写一首关于秋天的五言绝句。',
      '根据以下文章，总结作者的主要观点。\n\n文章：近年来，人工智能技术发展迅速……',
      '判断下列说法是否正确：所有的质数都是奇数。',
      '已知函数f(x)=2x+3，求f(5)的值。',
    ],
    chat: [
      '你好！我最近在学Python，你能帮我看看这段代码为什么报错吗？谢谢',
      '哈哈，你觉得我应该先学什么？',
      '我明天要去面试，有点紧张，你有什么建议吗',
      '谢谢你的回答！那如果我想换个方法呢？',
      '我的猫这两天不怎么吃东西，怎么办啊',
      '嗯嗯好的，那你再帮我改一下开头吧',
    ],
  },
  ja: {
    dataset: [
      '次の式の値を計算しなさい：3×(4+5)-7。',
      '次の文章を読んで、筆者の主張を100字以内で要約しなさい。\n\n近年、人工知能の技術は急速に発展している。',
      '以下の英文を日本語に翻訳してください：The weather is nice today.',
      '太郎はりんごを5個持っています。花子に2個あげて、3個買いました。太郎は今りんごを何個持っていますか。',
      '次のうち、日本の首都はどれか。\nA. 大阪\nB. 東京\nC. 京都\nD. 名古屋',
      '関数f(x)=2x+3について、f(5)の値を求めよ。',
    ],
    chat: [
      'こんにちは！私のコードを見てもらえますか？よろしくお願いします',
      '明日面接があって緊張してるんだけど、何かアドバイスある？',
      'ありがとう！じゃあ別のやり方だとどうなるかな',
      '私の猫が最近あまりご飯を食べないんです、どうしたらいいですか',
      'うーん、もう少し短くしてもらえる？',
      '僕はプログラミング初心者なんですが、何から始めればいいと思いますか？',
    ],
  },
  ko: {
    dataset: [
      '다음 식의 값을 계산하시오: 3×(4+5)-7.',
      '철수는 사과 5개를 가지고 있다. 영희에게 2개를 주고 3개를 더 샀다. 철수가 가진 사과는 모두 몇 개인가?',
      '다음 문장을 영어로 번역하시오: 오늘은 날씨가 좋다.',
      '다음 중 대한민국의 수도는?\nA. 부산\nB. 서울\nC. 대구\nD. 인천',
      '주어진 글을 읽고 글쓴이의 주장을 요약하시오.\n\n최근 인공지능 기술이 빠르게 발전하고 있다.',
      '함수 f(x)=2x+3에 대하여 f(5)의 값을 구하시오.',
    ],
    chat: [
      '안녕하세요! 제 코드 좀 봐주실 수 있나요? 감사합니다',
      '내일 면접인데 너무 긴장돼요 ㅠㅠ 혹시 조언 있어요?',
      'ㅋㅋㅋ 고마워! 그럼 다른 방법은 없어?',
      '저는 프로그래밍 처음인데 뭐부터 배워야 할까요?',
      '우리 고양이가 요즘 밥을 잘 안 먹어요 어떡하죠',
      '음 좀 더 짧게 써줄 수 있어?',
    ],
  },
  es: {
    dataset: [
      'Calcula el valor de la siguiente expresión: 3×(4+5)-7.',
      'Traduce la siguiente oración al inglés: Hoy hace buen tiempo.',
      'María tiene 5 manzanas. Le da 2 a Juan y compra 3 más. ¿Cuántas manzanas tiene ahora?',
      'Escribe un poema corto sobre el otoño.',
      'Clasifica los siguientes animales en mamíferos o reptiles: perro, iguana, ballena.',
      'Resume el siguiente texto en una oración.\n\nTexto: La inteligencia artificial avanza rápidamente.',
    ],
    chat: [
      'hola! me puedes ayudar con mi tarea? no entiendo nada jaja',
      'gracias! y si quiero hacerlo de otra forma?',
      'mañana tengo una entrevista y estoy nervioso, algún consejo?',
      'creo que mi gato está enfermo, no quiere comer, qué hago',
      'vale, puedes hacerlo un poco más corto porfa',
      'oye, tú qué opinas de aprender Rust primero?',
    ],
  },
  pt: {
    dataset: [
      'Calcule o valor da seguinte expressão: 3×(4+5)-7.',
      'Traduza a seguinte frase para o inglês: Hoje o tempo está bom.',
      'João tem 5 maçãs. Ele dá 2 para Maria e compra mais 3. Quantas maçãs ele tem agora?',
      'Escreva um poema curto sobre o outono.',
      'Classifique os seguintes animais como mamíferos ou répteis: cachorro, iguana, baleia.',
      'Resuma o texto a seguir em uma frase.\n\nTexto: A inteligência artificial avança rapidamente.',
    ],
    chat: [
      'oi! você pode me ajudar com meu trabalho? não tô entendendo nada kkkk',
      'obrigado! e se eu quiser fazer de outro jeito?',
      'amanhã tenho uma entrevista e tô nervoso, alguma dica?',
      'acho que meu gato tá doente, ele não quer comer, o que eu faço',
      'valeu, pode deixar um pouco mais curto?',
      'eu tô começando a programar, por onde você acha que eu começo?',
    ],
  },
  fr: {
    dataset: [
      "Calculez la valeur de l'expression suivante : 3×(4+5)-7.",
      'Traduisez la phrase suivante en anglais : Il fait beau aujourd’hui.',
      'Marie a 5 pommes. Elle en donne 2 à Jean et en achète 3 autres. Combien de pommes a-t-elle maintenant ?',
      "Écrivez un court poème sur l'automne.",
      'Classez les animaux suivants en mammifères ou reptiles : chien, iguane, baleine.',
      'Résumez le texte ci-dessous en une phrase.\n\nTexte : L’intelligence artificielle progresse rapidement.',
    ],
    chat: [
      "salut ! tu peux m'aider avec mon devoir ? je comprends rien mdr",
      'merci ! et si je veux le faire autrement ?',
      "j'ai un entretien demain et je stresse un peu, t'as des conseils ?",
      'je pense que mon chat est malade, il veut plus manger, je fais quoi',
      'ok, tu peux le raccourcir un peu stp',
      'bonjour, je débute en programmation, vous me conseillez quoi pour commencer ?',
    ],
  },
  de: {
    dataset: [
      'Berechnen Sie den Wert des folgenden Ausdrucks: 3×(4+5)-7.',
      'Übersetze den folgenden Satz ins Englische: Heute ist schönes Wetter.',
      'Anna hat 5 Äpfel. Sie gibt Tom 2 und kauft 3 weitere. Wie viele Äpfel hat sie jetzt?',
      'Schreibe ein kurzes Gedicht über den Herbst.',
      'Ordne die folgenden Tiere den Säugetieren oder Reptilien zu: Hund, Leguan, Wal.',
      'Fasse den folgenden Text in einem Satz zusammen.\n\nText: Künstliche Intelligenz entwickelt sich rasant.',
    ],
    chat: [
      'hallo, kannst du mir bei meinem code helfen? ich verstehe es nicht',
      'danke! und wenn ich es anders machen will?',
      'ich hab morgen ein vorstellungsgespräch und bin nervös, hast du tipps?',
      'ich glaube meine katze ist krank, sie frisst nichts mehr, was soll ich tun',
      'ok, kannst du das bitte etwas kürzer machen',
      'moin! ich fange gerade mit programmieren an, womit soll ich anfangen?',
    ],
  },
  ru: {
    dataset: [
      'Вычислите значение следующего выражения: 3×(4+5)-7.',
      'Переведите следующее предложение на английский: Сегодня хорошая погода.',
      'У Маши 5 яблок. Она отдала 2 Пете и купила ещё 3. Сколько яблок у неё теперь?',
      'Напишите короткое стихотворение об осени.',
      'Классифицируйте следующих животных как млекопитающих или рептилий: собака, игуана, кит.',
      'Кратко изложите следующий текст в одном предложении.\n\nТекст: Искусственный интеллект быстро развивается.',
    ],
    chat: [
      'привет, ты можешь помочь мне с кодом? я не понимаю',
      'спасибо! а если я хочу сделать по-другому?',
      'у меня завтра собеседование, я волнуюсь, есть советы?',
      'кажется мой кот заболел, он не ест, что делать',
      'ок, можешь сделать покороче пожалуйста',
      'я только начинаю программировать, с чего мне лучше начать?',
    ],
  },
};

const style = (text: string) => datasetStyle(profileText(text), { userTurns: 1 });
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('datasetStyle in other languages', () => {
  it.each(Object.entries(EXAMPLES))(
    'separates query-set items from chat in %s',
    (_lang, { dataset, chat }) => {
      const d = dataset.map(style);
      const c = chat.map(style);
      expect(mean(d) - mean(c)).toBeGreaterThan(0.3);
      expect(Math.max(...c)).toBeLessThan(0.5);
    },
  );

  it('puts at least 95% of the items on the right side of 0.5', () => {
    let right = 0;
    let all = 0;
    for (const { dataset, chat } of Object.values(EXAMPLES)) {
      right += dataset.filter((t) => style(t) > 0.5).length + chat.filter((t) => style(t) < 0.5).length;
      all += dataset.length + chat.length;
    }
    expect(right / all).toBeGreaterThanOrEqual(0.95);
  });
});
