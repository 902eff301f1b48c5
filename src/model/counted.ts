// "1 plan", "2 plans": a count with its noun, for messages people read.
export const counted = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;
