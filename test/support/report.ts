/** The JSON report of `kubelab validate --reporter json`, as the integration tests read it. */
export interface CheckReport {
  id: string;
  status: string;
  message: string;
}

export interface StepReport {
  id: string;
  status: string;
  checks: CheckReport[];
  error?: string;
  /** A step whose commands ran with nothing checking them. */
  unverified?: string;
  notRun?: { line: number; reason: string }[];
}

export interface LessonReport {
  id: string;
  status: string;
  error?: string;
  steps: StepReport[];
}
