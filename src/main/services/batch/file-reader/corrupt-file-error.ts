/** What is wrong with a file, worded for the user (the caller adds the file name and what to do). */
export class CorruptFileError extends Error {}
