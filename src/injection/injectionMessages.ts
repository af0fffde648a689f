// mountebank's words when a definition needs --allowInjection and the server runs without it.
export const INJECTION_MESSAGE = 'JavaScript injection is not allowed unless mb is run with the --allowInjection flag';
export const SHELL_MESSAGE = 'Shell execution is not allowed unless mb is run with the --allowInjection flag';
