// WebSocket close codes (RFC 6455) the emulator sends or is asked to send.
export const WS_CLOSE_NORMAL = 1000;
export const WS_CLOSE_GOING_AWAY = 1001;
/** Not a real close frame code: asking for it means "drop the connection without one". */
export const WS_CLOSE_ABNORMAL = 1006;
export const WS_CLOSE_POLICY_VIOLATION = 1008;
