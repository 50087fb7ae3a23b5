/**
 * The contract between the server and one canary run's child process (`dist/canary-runtime.cjs`).
 * The server writes a CanaryJob as JSON to `jobFile`, spawns the child in its own process group
 * with `OSPREY_CANARY_JOB=<jobFile>` and the canary's EnvironmentVariables, and kills the group at
 * `timeoutMs`. The child runs the user's handler through Osprey's implementation of AWS's
 * Synthetics libraries, writes artifacts into `artifactDir` and, last, a CanaryResult to
 * `resultFile` (absent result file = the run died: the server records it FAILED).
 */

/** The runtime families Osprey runs; the version string picks one. */
export type RuntimeFamily = 'puppeteer' | 'playwright';

export interface CanaryJob {
  runId: string;
  canary: {
    name: string;
    id: string;
    arn: string;
    account: string;
    region: string;
    runtimeVersion: string;
    family: RuntimeFamily;
  };
  /** Where the code zip was extracted (its root). */
  codeDir: string;
  /** Absolute path of the handler file inside codeDir (resolved by code/handler.ts). */
  handlerFile: string;
  /** The exported function's name (the part of Handler after the last dot). */
  handlerExport: string;
  /** Artifacts (screenshots, HAR + HTML report, log, SyntheticsReport JSON) go here. */
  artifactDir: string;
  resultFile: string;
  chromiumPath: string;
  /** The server kills the process group at this; the child stops stepping a little earlier. */
  timeoutMs: number;
  startedAt: string;
  /** Visual monitoring: the base run's artifact dir and the per-screenshot ignore areas. */
  visual?: {
    baseArtifactDir: string;
    screenshots: { name: string; ignoreCoordinates: string[] }[];
  };
  activeTracing: boolean;
}

export interface StepResult {
  stepName: string;
  status: 'PASSED' | 'FAILED';
  failureReason?: string;
  startTime: string;
  endTime: string;
  /** File names (relative to artifactDir) of this step's screenshots. */
  screenshots: string[];
}

export interface CanaryResult {
  status: 'PASSED' | 'FAILED';
  /** Why the run failed: the thrown error's message, a failed step, a visual variance… */
  reason?: string;
  startTime: string;
  endTime: string;
  steps: StepResult[];
  /** Responses the page or HTTP steps received, by class; `failed` = no response at all. */
  requests: { '2xx': number; '4xx': number; '5xx': number; failed: number };
  /** Visual monitoring outcome when the run compared screenshots with a base run. */
  visual?: { compared: number; failed: number };
  /** Relative file names of every artifact written (screenshots, .har, .html, report, log). */
  artifacts: string[];
  /**
   * The script's metric switches as the run ended (SyntheticsConfiguration's failedCanaryMetric,
   * _2xxMetric, stepSuccessMetric, aggregated…Metric, visualMonitoring…Metric): the server
   * publishes only the metrics left on. Absent when the run died before writing its result.
   */
  metricOptions?: Record<string, boolean>;
}
