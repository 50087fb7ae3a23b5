/**
 * SyntheticsConfiguration (`synthetics.getConfiguration()`): the global options AWS documents for
 * setConfig, the generated `with<Option>(value)` / `get<Option>()` pairs, the grouped enable/disable
 * methods, and the merge with a step's own config (a stepConfig overrides the global values for
 * that step only).
 */

/** Every option with AWS's documented default. */
export const CONFIG_DEFAULTS = {
  continueOnStepFailure: false,
  continueOnHttpStepFailure: true,
  harFile: true,
  stepsReport: true,
  screenshotOnStepStart: true,
  screenshotOnStepSuccess: true,
  screenshotOnStepFailure: true,
  includeRequestHeaders: false,
  includeResponseHeaders: false,
  restrictedHeaders: [] as string[],
  includeRequestBody: false,
  includeResponseBody: false,
  includeUrlPassword: false,
  restrictedUrlParameters: [] as string[],
  logRequest: true,
  logResponse: true,
  logRequestBody: false,
  logResponseBody: false,
  logRequestHeaders: false,
  logResponseHeaders: false,
  failedCanaryMetric: true,
  failedRequestsMetric: true,
  _2xxMetric: true,
  _4xxMetric: true,
  _5xxMetric: true,
  stepDurationMetric: true,
  stepSuccessMetric: true,
  aggregatedFailedCanaryMetric: true,
  aggregatedFailedRequestsMetric: true,
  aggregated2xxMetric: true,
  aggregated4xxMetric: true,
  aggregated5xxMetric: true,
  visualMonitoringSuccessPercentMetric: true,
  visualMonitoringTotalComparisonsMetric: false,
  visualCompareWithBaseRun: false,
  // AWS documents no number; 5 % is Osprey's default until the script sets its own.
  visualVarianceThresholdPercentage: 5,
  visualVarianceHighlightHexColor: '#fafa00',
  failCanaryRunOnVisualVariance: true,
};

export type ConfigValues = { -readonly [K in keyof typeof CONFIG_DEFAULTS]: (typeof CONFIG_DEFAULTS)[K] };
export type ConfigKey = keyof ConfigValues;

const STEP_SCREENSHOTS: ConfigKey[] = ['screenshotOnStepStart', 'screenshotOnStepSuccess', 'screenshotOnStepFailure'];
const REPORTING: ConfigKey[] = ['includeRequestHeaders', 'includeResponseHeaders', 'includeRequestBody', 'includeResponseBody'];
const REQUEST_METRICS: ConfigKey[] = ['failedRequestsMetric', '_2xxMetric', '_4xxMetric', '_5xxMetric'];
const AGGREGATED_REQUEST_METRICS: ConfigKey[] = [
  'aggregatedFailedRequestsMetric',
  'aggregated2xxMetric',
  'aggregated4xxMetric',
  'aggregated5xxMetric',
];
const STEP_METRICS: ConfigKey[] = ['stepSuccessMetric', 'stepDurationMetric'];

/** `_2xxMetric` → `2xxMetric`, `harFile` → `HarFile`: the suffix of AWS's with/get method names. */
export function methodSuffix(key: string): string {
  const bare = key.replace(/^_/, '');
  return bare.charAt(0).toUpperCase() + bare.slice(1);
}

function clone(values: ConfigValues): ConfigValues {
  return { ...values, restrictedHeaders: [...values.restrictedHeaders], restrictedUrlParameters: [...values.restrictedUrlParameters] };
}

export class SyntheticsConfiguration {
  private values: ConfigValues = clone(CONFIG_DEFAULTS);

  /** Sets the known options among `options`; unknown keys are ignored, as AWS's library does. */
  setConfig(options: Partial<Record<string, unknown>> | undefined): this {
    for (const [key, value] of Object.entries(options ?? {})) {
      if (key in CONFIG_DEFAULTS && value !== undefined) (this.values as Record<string, unknown>)[key] = value;
    }
    return this;
  }

  get<K extends ConfigKey>(key: K): ConfigValues[K] {
    return this.values[key];
  }

  /** The global values overlaid with a step's config. */
  merged(stepConfig?: Partial<Record<string, unknown>>): ConfigValues {
    const out = clone(this.values);
    for (const [key, value] of Object.entries(stepConfig ?? {})) {
      if (key in CONFIG_DEFAULTS && value !== undefined) (out as Record<string, unknown>)[key] = value;
    }
    return out;
  }

  private setAll(keys: ConfigKey[], value: boolean): this {
    for (const k of keys) (this.values as Record<string, unknown>)[k] = value;
    return this;
  }

  enableStepScreenshots(): this {
    return this.setAll(STEP_SCREENSHOTS, true);
  }
  disableStepScreenshots(): this {
    return this.setAll(STEP_SCREENSHOTS, false);
  }
  enableReportingOptions(): this {
    return this.setAll(REPORTING, true);
  }
  disableReportingOptions(): this {
    return this.setAll(REPORTING, false);
  }
  enableRequestMetrics(): this {
    return this.setAll([...REQUEST_METRICS, ...AGGREGATED_REQUEST_METRICS], true);
  }
  disableRequestMetrics(): this {
    return this.setAll([...REQUEST_METRICS, ...AGGREGATED_REQUEST_METRICS], false);
  }
  enableAggregatedRequestMetrics(): this {
    return this.setAll(AGGREGATED_REQUEST_METRICS, true);
  }
  disableAggregatedRequestMetrics(): this {
    return this.setAll(AGGREGATED_REQUEST_METRICS, false);
  }
  enableStepMetrics(): this {
    return this.setAll(STEP_METRICS, true);
  }
  disableStepMetrics(): this {
    return this.setAll(STEP_METRICS, false);
  }
}

// The builder pairs AWS documents (withHarFile(true), getScreenshotOnStepStart(), with2xxMetric(…)…),
// one per option, generated so the list of options above stays the single source.
for (const key of Object.keys(CONFIG_DEFAULTS)) {
  const suffix = methodSuffix(key);
  Object.defineProperty(SyntheticsConfiguration.prototype, `with${suffix}`, {
    value(this: SyntheticsConfiguration, value: unknown) {
      return this.setConfig({ [key]: value });
    },
  });
  Object.defineProperty(SyntheticsConfiguration.prototype, `get${suffix}`, {
    value(this: SyntheticsConfiguration) {
      return this.get(key as ConfigKey);
    },
  });
}
