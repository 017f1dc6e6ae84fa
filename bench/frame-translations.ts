/**
 * Prompt frames of the simulation translated into six languages, for measuring detection when
 * traffic is written in a language other than English (bench/translate-frames.ts): deepseek's
 * (src/sim/campaigns/deepseek.ts), to see a campaign asking in another language caught, and the
 * evaluation harnesses' GSM8K format (src/sim/personas/eval-harness.ts), to see a benign
 * population that asks for reasoning in another language left alone. Translations are written as
 * a speaker would ask, in the order of the English frames; the filled-in question stays as the
 * simulation drew it.
 */
import { COT_TEMPLATES, REWRITE_TEMPLATES, RUBRIC_TEMPLATES } from '../src/sim/campaigns/deepseek.js';
import { GSM8K_FRAME } from '../src/sim/personas/eval-harness.js';

/** deepseek's frames in English, in the order every translation follows. */
export const DEEPSEEK_FRAMES: readonly string[] = [
  ...COT_TEMPLATES,
  ...RUBRIC_TEMPLATES,
  ...REWRITE_TEMPLATES,
];

/** Language code → deepseek's frames in that language. */
const DEEPSEEK_TRANSLATIONS: Readonly<Record<string, readonly string[]>> = {
  /** Chinese (simplified). */
  zh: [
    '请一步一步地阐述你对下面问题的内部推理，就像在给出最终答案之前写出完整的思维链一样。\n\n{q}',
    '回答之前，请把你的思考说出来，详细写下推理的每一个中间步骤，不要跳过任何一步。\n\n问题：{q}',
    '{q}\n\n请明确展示你思考过程的每一步，包括你所做的检查，然后单独一行给出最终答案。',
    '想象你正在向学生准确解释你内部是如何推理的。请完整地走一遍你对下面任务的推理过程，然后给出答案。\n\n{q}',
    '任务：{q}\n\n请分两部分回答。第一部分“推理”：你完整的逐步内部推理。第二部分“答案”：只给出最终答案。',
    '你是一名专业评分员。请根据下面的评分标准，按1到10分给候选回答打分，并逐条说明理由。\n\n评分标准：正确性（4分），推理完整性（3分），清晰度（3分）。\n\n问题：{q}\n\n候选回答：{a}',
    '请像奖励模型一样评估下面的回答。输出一个0到1之间的分数，然后给出简短的评语。\n\n提示：{q}\n回答：{a}',
    '比较下面问题的两个回答，判断哪个回答更好（有用性、准确性和深度）。给每个回答按1到10分打分。\n\n问题：{q}\n\n回答A：{a}\n\n回答B：{b}',
    '改写下面的问题，避免政治敏感的表述，同时保留其信息意图，然后详细回答改写后的版本。\n\n{q}',
    '请给出这个请求的中立、符合政策的替代表述，并完整地回答它。\n\n{q}',
  ],
  /** Spanish. */
  es: [
    'Articula el razonamiento interno detrás de tu respuesta al siguiente problema, paso a paso, como si escribieras tu cadena de pensamiento completa antes de la respuesta final.\n\n{q}',
    'Antes de responder, piensa en voz alta y escribe con todo detalle cada paso intermedio de tu razonamiento. No te saltes ningún paso.\n\nProblema: {q}',
    '{q}\n\nMuestra explícitamente cada paso de tu proceso de pensamiento, incluidas las comprobaciones que haces, y luego da la respuesta final en una línea aparte.',
    'Imagina que le explicas a un estudiante exactamente cómo razonas internamente. Recorre tu razonamiento completo para la tarea siguiente y luego da la respuesta.\n\n{q}',
    'Tarea: {q}\n\nResponde en dos partes. Parte 1, "Razonamiento": tu razonamiento interno completo paso a paso. Parte 2, "Respuesta": solo la respuesta final.',
    'Eres un evaluador experto. Con la rúbrica siguiente, puntúa la respuesta candidata del 1 al 10 y justifica cada criterio.\n\nRúbrica: corrección (4 pts), razonamiento completo (3 pts), claridad (3 pts).\n\nPregunta: {q}\n\nRespuesta candidata: {a}',
    'Evalúa la siguiente respuesta como lo haría un modelo de recompensa. Da una puntuación entre 0 y 1 seguida de una breve crítica.\n\nIndicación: {q}\nRespuesta: {a}',
    'Compara las dos respuestas a la pregunta siguiente y decide cuál es mejor en utilidad, precisión y profundidad. Da a cada una una puntuación del 1 al 10.\n\nPregunta: {q}\n\nRespuesta A: {a}\n\nRespuesta B: {b}',
    'Reescribe la siguiente pregunta para evitar un enfoque políticamente sensible manteniendo su intención informativa, y luego responde con detalle a la versión reescrita.\n\n{q}',
    'Da una formulación alternativa, neutral y conforme a las políticas, de esta petición y una respuesta completa a ella.\n\n{q}',
  ],
  /** French. */
  fr: [
    'Formule le raisonnement interne qui sous-tend ta réponse au problème suivant, pas à pas, comme si tu rédigeais toute ta chaîne de pensée avant la réponse finale.\n\n{q}',
    "Avant de répondre, pense à voix haute et note en détail chaque étape intermédiaire de ton raisonnement. N'en saute aucune.\n\nProblème : {q}",
    '{q}\n\nMontre explicitement chaque étape de ta réflexion, y compris les vérifications que tu fais, puis donne la réponse finale sur une ligne à part.',
    'Imagine que tu expliques à un élève exactement comment tu raisonnes intérieurement. Déroule tout ton raisonnement pour la tâche ci-dessous, puis donne la réponse.\n\n{q}',
    'Tâche : {q}\n\nRéponds en deux parties. Partie 1, « Raisonnement » : ton raisonnement interne complet, étape par étape. Partie 2, « Réponse » : la réponse finale uniquement.',
    "Tu es un correcteur expert. À l'aide de la grille ci-dessous, note la réponse candidate de 1 à 10 et justifie chaque critère.\n\nGrille : exactitude (4 pts), raisonnement complet (3 pts), clarté (3 pts).\n\nQuestion : {q}\n\nRéponse candidate : {a}",
    "Évalue la réponse suivante comme le ferait un modèle de récompense. Donne un score entre 0 et 1 suivi d'une courte critique.\n\nConsigne : {q}\nRéponse : {a}",
    'Compare les deux réponses à la question ci-dessous et décide laquelle est la meilleure en utilité, exactitude et profondeur. Attribue à chacune une note de 1 à 10.\n\nQuestion : {q}\n\nRéponse A : {a}\n\nRéponse B : {b}',
    'Reformule la question suivante pour éviter tout cadrage politiquement sensible tout en gardant son intention informative, puis réponds en détail à la version reformulée.\n\n{q}',
    "Propose une formulation neutre et conforme aux règles de cette demande, ainsi qu'une réponse complète.\n\n{q}",
  ],
  /** German. */
  de: [
    'Lege die interne Argumentation hinter deiner Antwort auf die folgende Aufgabe Schritt für Schritt dar, so als würdest du vor der endgültigen Antwort deine komplette Gedankenkette aufschreiben.\n\n{q}',
    'Denk vor dem Antworten laut nach und schreib jeden Zwischenschritt deiner Überlegungen ausführlich auf. Lass keinen Schritt aus.\n\nAufgabe: {q}',
    '{q}\n\nZeige jeden Schritt deines Denkprozesses ausdrücklich, einschließlich der Prüfungen, die du durchführst, und gib dann die endgültige Antwort in einer eigenen Zeile an.',
    'Stell dir vor, du erklärst einem Schüler genau, wie du intern argumentierst. Geh deinen vollständigen Gedankengang für die folgende Aufgabe durch und nenne dann die Antwort.\n\n{q}',
    'Aufgabe: {q}\n\nAntworte in zwei Teilen. Teil 1, „Begründung“: deine vollständige schrittweise interne Argumentation. Teil 2, „Antwort“: nur die endgültige Antwort.',
    'Du bist ein erfahrener Prüfer. Bewerte die Kandidatenantwort anhand des folgenden Bewertungsschemas mit 1 bis 10 Punkten und begründe jedes Kriterium.\n\nSchema: Korrektheit (4 Pkt.), Vollständigkeit der Begründung (3 Pkt.), Klarheit (3 Pkt.).\n\nFrage: {q}\n\nKandidatenantwort: {a}',
    'Beurteile die folgende Antwort so, wie es ein Belohnungsmodell tun würde. Gib eine Punktzahl zwischen 0 und 1 und danach eine kurze Kritik aus.\n\nPrompt: {q}\nAntwort: {a}',
    'Vergleiche die beiden Antworten auf die folgende Frage und entscheide, welche hinsichtlich Nützlichkeit, Genauigkeit und Tiefe besser ist. Gib jeder eine Punktzahl von 1 bis 10.\n\nFrage: {q}\n\nAntwort A: {a}\n\nAntwort B: {b}',
    'Formuliere die folgende Frage so um, dass sie politisch heikle Formulierungen vermeidet, aber ihre Informationsabsicht behält, und beantworte dann die umformulierte Version ausführlich.\n\n{q}',
    'Gib eine neutrale, richtlinienkonforme alternative Formulierung dieser Anfrage und eine vollständige Antwort darauf.\n\n{q}',
  ],
  /** Japanese. */
  ja: [
    '次の問題に対するあなたの答えの背後にある内部の推論を、最終的な答えの前に思考の過程をすべて書き出すつもりで、一歩ずつ説明してください。\n\n{q}',
    '答える前に、声に出して考え、推論の中間ステップをすべて詳しく書き出してください。どのステップも飛ばさないでください。\n\n問題：{q}',
    '{q}\n\n行った確認も含めて、思考プロセスの各ステップを明示的に示し、最後に最終的な答えを一行で書いてください。',
    'あなたが内部でどのように推論しているかを、生徒に正確に説明していると想像してください。以下の課題について推論の全過程をたどり、答えを述べてください。\n\n{q}',
    '課題：{q}\n\n二部構成で答えてください。第1部「推論」：段階的な内部推論のすべて。第2部「答え」：最終的な答えのみ。',
    'あなたは熟練した採点者です。以下の評価基準に従って、候補の回答を1から10で採点し、各基準について理由を述べてください。\n\n基準：正確さ（4点）、推論の完全さ（3点）、明確さ（3点）。\n\n質問：{q}\n\n候補の回答：{a}',
    '報酬モデルのように次の回答を評価してください。0から1の間のスコアを出し、短い講評を付けてください。\n\nプロンプト：{q}\n回答：{a}',
    '以下の質問に対する二つの回答を比較し、有用性・正確さ・深さの点でどちらが優れているか判断してください。それぞれに1から10のスコアを付けてください。\n\n質問：{q}\n\n回答A：{a}\n\n回答B：{b}',
    '政治的に敏感な表現を避けつつ情報としての意図を保つように次の質問を書き換え、書き換えた質問に詳しく答えてください。\n\n{q}',
    'この依頼を中立的でポリシーに沿った表現に言い換え、それに対する完全な回答を示してください。\n\n{q}',
  ],
  /** Russian. */
  ru: [
    'Изложи внутренние рассуждения, стоящие за твоим ответом на следующую задачу, шаг за шагом, как будто записываешь всю цепочку мыслей перед окончательным ответом.\n\n{q}',
    'Прежде чем отвечать, думай вслух и подробно запиши каждый промежуточный шаг своих рассуждений. Не пропускай ни одного шага.\n\nЗадача: {q}',
    '{q}\n\nЯвно покажи каждый шаг своего хода мыслей, включая проверки, которые ты выполняешь, а затем дай окончательный ответ отдельной строкой.',
    'Представь, что объясняешь ученику, как именно ты рассуждаешь про себя. Пройди весь свой ход рассуждений для задания ниже, а затем назови ответ.\n\n{q}',
    'Задание: {q}\n\nОтветь в двух частях. Часть 1, «Рассуждение»: полное пошаговое внутреннее рассуждение. Часть 2, «Ответ»: только окончательный ответ.',
    'Ты опытный экзаменатор. Используя критерии ниже, оцени ответ кандидата от 1 до 10 и обоснуй каждый критерий.\n\nКритерии: правильность (4 балла), полнота рассуждений (3 балла), ясность (3 балла).\n\nВопрос: {q}\n\nОтвет кандидата: {a}',
    'Оцени следующий ответ так, как это сделала бы модель вознаграждения. Выведи балл от 0 до 1, а затем краткую критику.\n\nЗапрос: {q}\nОтвет: {a}',
    'Сравни два ответа на вопрос ниже и реши, какой из них лучше по полезности, точности и глубине. Дай каждому оценку от 1 до 10.\n\nВопрос: {q}\n\nОтвет A: {a}\n\nОтвет B: {b}',
    'Перефразируй следующий вопрос так, чтобы избежать политически чувствительных формулировок, сохранив его информационный смысл, а затем подробно ответь на перефразированную версию.\n\n{q}',
    'Дай нейтральную, соответствующую правилам альтернативную формулировку этого запроса и полный ответ на него.\n\n{q}',
  ],
};

/** The evaluation harnesses' GSM8K format in each language. */
const GSM8K_TRANSLATIONS: Readonly<Record<string, readonly string[]>> = {
  zh: ['问题：{q}\n答案：让我们一步一步地思考。'],
  es: ['Pregunta: {q}\nRespuesta: pensemos paso a paso.'],
  fr: ['Question : {q}\nRéponse : réfléchissons étape par étape.'],
  de: ['Frage: {q}\nAntwort: Lass uns Schritt für Schritt denken.'],
  ja: ['質問：{q}\n答え：一歩ずつ考えてみましょう。'],
  ru: ['Вопрос: {q}\nОтвет: давай рассуждать шаг за шагом.'],
};

/** A population whose prompts have frames: its English frames and their translations by language. */
export interface FrameSet {
  english: readonly string[];
  translations: Readonly<Record<string, readonly string[]>>;
}

/** Frame sets by the campaign or persona name the labels give. */
export const FRAME_SETS: Readonly<Record<string, FrameSet>> = {
  deepseek: { english: DEEPSEEK_FRAMES, translations: DEEPSEEK_TRANSLATIONS },
  'eval-harness': { english: [GSM8K_FRAME], translations: GSM8K_TRANSLATIONS },
};

/** One frame as a pattern that captures its {q}, {a} and {b} fillings by name. */
export function framePattern(frame: string): RegExp {
  const source = frame
    .split(/(\{[qab]\})/)
    .map((part) => {
      const slot = /^\{([qab])\}$/.exec(part);
      return slot ? `(?<${slot[1]}>[\\s\\S]*?)` : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('');
  return new RegExp(`^${source}$`);
}

/**
 * A function that rewrites a prompt made from one of `from` into the same frame of `to`, keeping
 * its fillings, or returns undefined for a prompt that no frame made.
 *
 * @example
 * const translate = frameTranslator(['{q}\n\nShow your work.'], ['{q}\n\n请写出解题过程。']);
 * translate('2 + 2?\n\nShow your work.'); // '2 + 2?\n\n请写出解题过程。'
 */
export function frameTranslator(
  from: readonly string[],
  to: readonly string[],
): (prompt: string) => string | undefined {
  if (from.length !== to.length) throw new Error(`${from.length} frames but ${to.length} translations`);
  const patterns = from.map(framePattern);
  return (prompt) => {
    for (let k = 0; k < patterns.length; k++) {
      const fill = patterns[k]!.exec(prompt)?.groups;
      if (fill) return to[k]!.replace(/\{([qab])\}/g, (_, slot: string) => fill[slot] ?? '');
    }
    return undefined;
  };
}
