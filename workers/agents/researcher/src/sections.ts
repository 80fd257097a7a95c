/**
 * What the researcher knows how to research: the sections a reader expects, in reading order, each with
 * the kinds of fact it rests on. The facts are templates, filled with seeded numbers: stand-ins with the
 * shape of real research, so the sample pipeline runs offline.
 */

/** Claims get a seeded number `n` (0-160) so each topic's facts read differently. */
export type Claim = (topic: string, n: number) => string;

export const SECTIONS: ReadonlyArray<{ heading: (topic: string) => string; claims: readonly Claim[] }> = [
  {
    heading: (topic) => `What ${topic} is`,
    claims: [
      (topic, n) => `There are at least ${(n % 40) + 3} distinct kinds of ${topic}.`,
      (topic, n) => `Most definitions of ${topic} agree on ${(n % 4) + 2} core ideas.`,
      (topic, n) => `About ${(n % 90) + 5}% of people have heard of ${topic}.`,
    ],
  },
  {
    heading: (topic) => `A short history of ${topic}`,
    claims: [
      (topic, n) => `${topic} was first described in ${1850 + n}.`,
      (topic, n) => `The first society devoted to ${topic} was founded ${(n % 80) + 20} years ago.`,
      (topic, n) => `Interest in ${topic} grew ${(n % 9) + 2} times over the last decade.`,
    ],
  },
  {
    heading: (topic) => `How ${topic} works`,
    claims: [
      (topic, n) => `${topic} usually involves ${(n % 5) + 3} distinct steps.`,
      (topic, n) => `A typical session of ${topic} lasts about ${(n % 50) + 10} minutes.`,
      (topic, n) => `Practitioners of ${topic} name ${(n % 3) + 2} tools as essential.`,
    ],
  },
  {
    heading: (topic) => `Why ${topic} matters`,
    claims: [
      (topic, n) => `${topic} is practised in ${(n % 120) + 10} countries.`,
      (topic, n) => `More than ${(n % 50) + 2} thousand papers mention ${topic}.`,
      (topic, n) => `Surveys link ${topic} to higher well-being in ${(n % 40) + 50}% of participants.`,
    ],
  },
  {
    heading: (topic) => `Common myths about ${topic}`,
    claims: [
      (topic, n) => `${(n % 60) + 20}% of people believe ${topic} is expensive to start.`,
      (topic, n) => `Beginners make ${(n % 5) + 2} typical mistakes with ${topic}.`,
      (topic, n) => `Only ${(n % 15) + 3}% of claims about ${topic} online cite a source.`,
    ],
  },
  {
    heading: (topic) => `${topic} in everyday life`,
    claims: [
      (topic, n) => `One household in ${(n % 40) + 10} practises ${topic}.`,
      (topic, n) => `Local groups for ${topic} meet about ${(n % 4) + 1} times a month.`,
      (topic, n) => `Most people spend ${(n % 6) + 1} hours a week on ${topic}.`,
    ],
  },
  {
    heading: (topic) => `The future of ${topic}`,
    claims: [
      (topic, n) => `Experts expect ${topic} to grow ${(n % 30) + 5}% a year.`,
      (topic, n) => `${(n % 20) + 5} new standards for ${topic} are under discussion.`,
      (topic, n) => `Funding for research on ${topic} doubled in ${(n % 8) + 3} years.`,
    ],
  },
  {
    heading: (topic) => `Getting started with ${topic}`,
    claims: [
      (topic, n) => `A first course in ${topic} takes about ${(n % 30) + 4} hours.`,
      (topic, n) => `Starter kits for ${topic} cost around $${(n % 90) + 20}.`,
      (topic, n) => `${(n % 50) + 40}% of beginners keep up ${topic} after a year.`,
    ],
  },
];
/** Every section has this many kinds of fact, which caps `factsPerSection`. */
export const CLAIMS_PER_SECTION = 3;
