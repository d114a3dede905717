/**
 * What an EKS workshop cluster costs per hour, for the cost guard and the "still running" reminder.
 *
 * Prices in USD per hour, Linux on-demand, as listed on https://aws.amazon.com/eks/pricing/ (control
 * plane, standard support), https://aws.amazon.com/ec2/pricing/on-demand/ (instances) and
 * https://aws.amazon.com/vpc/pricing/ (NAT gateway), recorded 2025-06-01. AWS changes prices rarely,
 * but an estimate from this table is a reminder of the order of magnitude, not a bill.
 * Not included: EBS volumes (~$0.01/h per node for eksctl's 80 GiB gp3), load balancers created by
 * lessons (~$0.0225/h each), data transfer, and extended support ($0.60/h for old Kubernetes versions).
 */
export const PRICES_RECORDED_ON = '2025-06-01';

export const EKS_CONTROL_PLANE_HOURLY_USD = 0.1;

const INSTANCE_HOURLY_USD: Record<string, Record<string, number>> = {
  'us-east-1': { 't3.small': 0.0208, 't3.medium': 0.0416, 'm5.large': 0.096 },
  'us-east-2': { 't3.small': 0.0208, 't3.medium': 0.0416, 'm5.large': 0.096 },
  'us-west-2': { 't3.small': 0.0208, 't3.medium': 0.0416, 'm5.large': 0.096 },
  'eu-west-1': { 't3.small': 0.0228, 't3.medium': 0.0456, 'm5.large': 0.107 },
  'eu-central-1': { 't3.small': 0.024, 't3.medium': 0.048, 'm5.large': 0.115 },
  'ap-southeast-1': { 't3.small': 0.0264, 't3.medium': 0.0528, 'm5.large': 0.12 },
  'ap-northeast-1': { 't3.small': 0.0272, 't3.medium': 0.0544, 'm5.large': 0.124 },
};

/** eksctl creates one NAT gateway per cluster by default (vpc.nat.gateway: Single). */
const NAT_GATEWAY_HOURLY_USD: Record<string, number> = {
  'us-east-1': 0.045,
  'us-east-2': 0.045,
  'us-west-2': 0.045,
  'eu-west-1': 0.048,
  'eu-central-1': 0.052,
  'ap-southeast-1': 0.059,
  'ap-northeast-1': 0.062,
};

export interface CostLine {
  label: string;
  hourlyUsd: number;
}

export interface CostEstimate {
  /** Sum of the lines that have a known price. */
  hourlyUsd: number;
  lines: CostLine[];
  /** Parts the table has no price for; the estimate is then a lower bound. */
  unknown: string[];
}

export function estimateHourlyCost(input: { region: string; instanceType: string; nodes: number }): CostEstimate {
  const lines: CostLine[] = [{ label: 'EKS control plane', hourlyUsd: EKS_CONTROL_PLANE_HOURLY_USD }];
  const unknown: string[] = [];
  const instance = INSTANCE_HOURLY_USD[input.region]?.[input.instanceType];
  if (instance === undefined) {
    unknown.push(`${input.nodes} × ${input.instanceType} in ${input.region}`);
  } else if (input.nodes > 0) {
    lines.push({ label: `${input.nodes} × ${input.instanceType} nodes`, hourlyUsd: instance * input.nodes });
  }
  const nat = NAT_GATEWAY_HOURLY_USD[input.region];
  if (nat === undefined) unknown.push(`NAT gateway in ${input.region}`);
  else lines.push({ label: 'NAT gateway', hourlyUsd: nat });
  const hourlyUsd = lines.reduce((sum, line) => sum + line.hourlyUsd, 0);
  return { hourlyUsd, lines, unknown };
}

/** "$0.43" — cents are precise enough for a reminder. */
export function formatUsd(amount: number): string {
  return `$${amount.toFixed(2)}`;
}

/** One paragraph for the cost guard: the lines, the total per hour and per day. */
export function describeCost(estimate: CostEstimate): string {
  // Sub-dime hourly prices ($0.045) would round to a misleading $0.04 with two decimals.
  const rate = (usd: number) => (usd < 0.1 ? `$${usd.toFixed(3)}` : formatUsd(usd));
  const parts = estimate.lines.map((line) => `${line.label} ${rate(line.hourlyUsd)}/h`);
  const total = `about ${formatUsd(estimate.hourlyUsd)}/h (${formatUsd(estimate.hourlyUsd * 24)}/day)`;
  const unknown = estimate.unknown.length
    ? `; no price in kubelab's table for ${estimate.unknown.join(', ')} — see https://aws.amazon.com/ec2/pricing/on-demand/`
    : '';
  return `${parts.join(' + ')} = ${total}, billed until you delete it${unknown}. Prices recorded ${PRICES_RECORDED_ON}.`;
}
