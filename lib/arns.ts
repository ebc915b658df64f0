/** `arn:<partition>:kinesis:<region>:<account>:stream/<name>`: checked by the config and by `ConnectStreams`. */
export const KINESIS_STREAM_ARN_PATTERN = /^arn:aws[a-z-]*:kinesis:[a-z0-9-]+:\d{12}:stream\/[A-Za-z0-9_.-]{1,128}$/;

/** `arn:<partition>:connect:<region>:<account>:instance/<instance id>`. */
export const CONNECT_INSTANCE_ARN_PATTERN = /^arn:aws[a-z-]*:connect:[a-z0-9-]+:\d{12}:instance\/[0-9a-f-]{36}$/;

/** `arn:<partition>:kms:<region>:<account>:key/<key id>` (multi-Region keys start `mrk-`). */
export const KMS_KEY_ARN_PATTERN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/(?:mrk-)?[0-9a-f-]{32,36}$/;

/** General-purpose S3 bucket names: 3–63 lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit. */
export const S3_BUCKET_NAME_PATTERN = /^(?!xn--)(?!.*\.\.)(?!\d+\.\d+\.\d+\.\d+$)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
