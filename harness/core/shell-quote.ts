/** A path as a POSIX shell reads it back unchanged: pasting a suggested command never runs what is in a folder name. */
export const shellQuote = (text: string) => (/^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`);
