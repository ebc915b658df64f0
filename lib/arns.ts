/** `arn:<partition>:kinesis:<region>:<account>:stream/<name>`: checked by the config and by `ConnectStreams`. */
export const KINESIS_STREAM_ARN_PATTERN = /^arn:aws[a-z-]*:kinesis:[a-z0-9-]+:\d{12}:stream\/[A-Za-z0-9_.-]{1,128}$/;
