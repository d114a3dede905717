/**
 * Whether the cluster answers and stays usable while a command waits on it. Commands reach the
 * providers' health probes through here (commands never import providers).
 */
export { unusableCluster, watchCluster, type ClusterWatch } from '../providers/health.js';
export { probeApiServer as probeCluster } from '../providers/probe.js';
