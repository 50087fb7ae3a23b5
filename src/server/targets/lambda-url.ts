/**
 * Lambda functions as Osprey reaches them: an HTTP(S) URL per function ARN (config
 * `lambda.functions` / OSPREY_LAMBDA_URLS). A qualified ARN (`:alias`, `:3`) falls back to the
 * unqualified function's URL.
 */
export function lambdaUrl(functions: Readonly<Record<string, string>>, arn: string): string | undefined {
  return functions[arn] ?? functions[arn.split(':').slice(0, 7).join(':')];
}
