import { describe, expect, it } from 'vitest';
import { elicitation } from './elicitation.js';
import * as otherLanguages from './elicitation-languages.js';
import { profileText } from './tokens.js';

const score = (text: string, request: Record<string, unknown> = {}) =>
  elicitation(profileText(text), { messages: [], ...request });

/** Every text asks clearly (score above 0.75) for what `cue` measures. */
function expectAsks(cue: 'cotElicitation' | 'rubricGrading', texts: string[]): void {
  for (const text of texts) expect(score(text)[cue], text).toBeGreaterThan(0.75);
}

describe('cotElicitation', () => {
  it('is high for requests for the full reasoning trace', () => {
    expectAsks('cotElicitation', [
      'Think step by step. If Windows 10 shipped on floppies, how many would it take?',
      'Solve the equation and show your work.',
      'Articulate the internal reasoning behind your answer in full, then give the final answer.',
      'Explain your thought process in detail before answering.',
      "Let's think about this carefully: what is 17 * 23?",
    ]);
  });

  it('stays low for ordinary prompts and weak words alone', () => {
    expect(score('what do you think about the future of iran?').cotElicitation).toBe(0);
    expect(score('Write a haiku about autumn rain.').cotElicitation).toBe(0);
    expect(score('Explain why the sky is blue.').cotElicitation).toBeLessThan(0.4);
  });

  it('adds a little for an extended-thinking budget or high reasoning effort', () => {
    const plain = score('Prove that there are infinitely many primes.').cotElicitation;
    const thinking = score('Prove that there are infinitely many primes.', {
      thinking: { type: 'enabled', budget_tokens: 32000 },
      reasoning_effort: 'high',
    }).cotElicitation;
    expect(thinking).toBeGreaterThan(plain);
    expect(thinking).toBeLessThan(0.5);
  });
});

describe('rubricGrading', () => {
  it('is high when the model is used as a grader or reward model', () => {
    expectAsks('rubricGrading', [
      'Please act as an impartial judge and evaluate the quality of the response provided by an AI assistant.',
      'Using the rubric below, score the answer from 1 to 10.',
      'Here are two answers to the question. Which response is better, Response A or Response B?',
      'Rate the following essay on a scale of 1-10 for coherence.',
    ]);
  });

  it('stays low for prompts that only mention rates or scores in passing', () => {
    expect(score('What is the current interest rate in the UK?').rubricGrading).toBeLessThan(0.3);
    expect(score('My team lost 3-1, what was the score in the last derby?').rubricGrading).toBeLessThan(0.3);
  });
});

describe('elicitation in other languages', () => {
  it('sees requests for the reasoning trace in each language', () => {
    expectAsks('cotElicitation', [
      '请一步一步地推理，并写出完整的解题过程：一个水池有两个进水管，单开甲管6小时注满。',
      '請逐步解釋你的推理過程，再給出答案。',
      '次の問題を段階的に解いて、途中式も示してください。',
      '다음 문제를 단계별로 풀고 풀이 과정을 보여 주세요.',
      'Resuelve el problema paso a paso y explica tu razonamiento.',
      'Resolva a questão passo a passo e mostre seu raciocínio.',
      'Étape par étape, résous ce problème et explique ton raisonnement.',
      'Löse die Aufgabe Schritt für Schritt und zeige den Lösungsweg.',
      'Шаг за шагом реши задачу и покажи ход решения.',
    ]);
  });

  it('sees German and Russian cue nouns in every case and number', () => {
    expectAsks('cotElicitation', [
      'Schreib jeden Zwischenschritt auf.',
      'Zeige jeden Schritt deines Denkprozesses.',
      'Gib eine schrittweisen Herleitung an.',
      'Дай полное пошаговое решение.',
    ]);
    // A weak word in another case is still weak: it leans, it does not ask.
    const weak = score('Запиши каждый промежуточный итог своих рассуждений.').cotElicitation;
    expect(weak).toBeGreaterThan(0);
    expect(weak).toBeLessThan(0.5);
  });

  it('sees the model used as a grader in each language', () => {
    expectAsks('rubricGrading', [
      '请按1到10分给下面的回答打分，并说明理由。',
      '以下の二つの回答を採点してください。どちらの回答が優れていますか。',
      '다음 답변을 채점 기준에 따라 채점해 주세요.',
      'Evalúa la respuesta en una escala del 1 al 10.',
      'Avalie a resposta abaixo e diga qual resposta é melhor.',
      'Évaluez la réponse sur une échelle de 1 à 10.',
      'Bewerte die Antwort auf einer Skala von 1 bis 10.',
      'Оцените ответ по шкале от 1 до 10.',
    ]);
  });

  it('stays low for ordinary requests in those languages', () => {
    for (const text of [
      '帮我写一封给房东的邮件，说下周三要晚点交房租。',
      '週末に京都でおすすめの観光地を教えてください。',
      '주말에 서울에서 가볼 만한 곳을 추천해 주세요.',
      '¿Qué puedo cocinar con arroz, huevos y espinacas?',
      'Você pode traduzir este parágrafo para o inglês?',
      'Écris un petit poème sur la mer.',
      'Schreib mir eine kurze Geburtstagskarte für meine Oma.',
      'Напиши короткое поздравление с днём рождения для бабушки.',
    ]) {
      const s = score(text);
      expect(s.cotElicitation, text).toBe(0);
      expect(s.rubricGrading, text).toBe(0);
    }
  });
});

describe("the other languages' cue lists", () => {
  it('list each phrase once, so a phrase two languages spell alike counts once', () => {
    for (const [name, list] of Object.entries(otherLanguages)) {
      expect(new Set(list).size, name).toBe(list.length);
    }
    expect(score('Antes de responder, resuelve: 2 + 2').cotElicitation).toBe(
      score('Step by step: 2 + 2').cotElicitation,
    );
  });
});
