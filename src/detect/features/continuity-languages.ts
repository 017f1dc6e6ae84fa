/**
 * The follow-up cues of continuity.ts in the languages of elicitation-languages.ts: Chinese
 * (simplified and traditional), Japanese, Korean, Spanish, Portuguese, French, German and
 * Russian. The same generic back-references as the English list ("why", "above", "your answer",
 * "again", "shorter", "thanks", "are you sure"), never one corpus's wording; words spelt like
 * English words of another meaning are left out.
 *
 * Chinese characters and kana are one word each (tokens.ts), so 为什么 is three words matched in
 * order; Korean is matched by its spaced words.
 */

/** Phrases that refer back to an earlier answer. */
export const REFERS_BACK: readonly string[] = [
  // Chinese
  '为什么',
  '為什麼',
  '刚才',
  '剛才',
  '上面',
  '之前',
  '你说',
  '你說',
  '你的回答',
  '你的代码',
  '你的代碼',
  '再来',
  '再來',
  '继续',
  '繼續',
  '短一点',
  '短一點',
  '简单一点',
  '簡單一點',
  '详细一点',
  '詳細一點',
  '换一个',
  '換一個',
  '还是不',
  '還是不',
  '不对',
  '不對',
  '你确定',
  '你確定',
  '那如果',
  // Japanese
  'なぜ',
  'どうして',
  'さっき',
  '上の',
  '前の',
  'もう一度',
  'もう少し',
  '続けて',
  '短く',
  '詳しく',
  '違う',
  '違います',
  '本当に',
  // Korean
  '왜',
  '아까',
  '위의',
  '이전',
  '다시',
  '계속',
  '짧게',
  '자세히',
  '틀렸어',
  '틀렸어요',
  '그럼',
  // Spanish
  'por qué',
  'arriba',
  'anterior',
  'tu respuesta',
  'su respuesta',
  'otra vez',
  'de nuevo',
  'continúa',
  'más corto',
  'más simple',
  'más detalle',
  'eso',
  'estás seguro',
  // Portuguese
  'por que',
  'acima',
  'sua resposta',
  'de novo',
  'mais curto',
  'mais simples',
  'isso',
  'tem certeza',
  // French
  'pourquoi',
  'ci dessus',
  'précédent',
  'précédente',
  'ta réponse',
  'votre réponse',
  'encore',
  'plus court',
  'plus simple',
  'ça',
  'tu es sûr',
  // German
  'warum',
  'oben',
  'vorherige',
  'deine antwort',
  'nochmal',
  'noch einmal',
  'weiter',
  'kürzer',
  'einfacher',
  'bist du sicher',
  // Russian
  'почему',
  'выше',
  'предыдущий',
  'твой ответ',
  'ещё раз',
  'еще раз',
  'снова',
  'продолжай',
  'короче',
  'проще',
  'подробнее',
  'ты уверен',
];

/**
 * Function characters and particles of Chinese and Japanese: one word each, they recur in any two
 * texts, so they do not show that a follow-up reuses an answer's content.
 */
export const STOP_CHARACTERS =
  '的了是在我你他她它们們这這那有和与與不也就都吗嗎呢吧啊个個一么麼什怎为為把被给給说說会會能要可以到对對上下中来來去过過还還很没沒着著之其而及' +
  'のはがをにでともたてだですましいなからるれうこそあ';
