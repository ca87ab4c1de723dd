import type { ContentProblem } from '../content/problems';

/** A problem before it is given its file. */
export type Problem = Omit<ContentProblem, 'file'>;

/** Where each part of the checker records a problem in a file (an absolute path). */
export type Report = (abs: string, problem: Problem) => void;
