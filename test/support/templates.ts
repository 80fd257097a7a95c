/** A loosely typed template for tests: what an author writes, before defaults are applied. */
export type TemplateInput = {
  id: string;
  name: string;
  steps: Record<string, unknown>[];
  [key: string]: unknown;
};
