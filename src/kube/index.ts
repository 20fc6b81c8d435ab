/** kube-proxy's rules understood: its chains, its services and endpoints, and what a trace did with them. */
export { kubeChainKind, serviceHash, type KubeChainKind } from "./chains.js";
export { parseKubeComment, type KubeComment } from "./comments.js";
export { kubeProxyMode, type KubeProxyMode } from "./mode.js";
export { kubeProxyView, type KubeEndpoint, type KubePortal, type KubeProxyView, type KubeService, type PortalKind } from "./services.js";
export { kubeRoutes, type KubeRoute } from "./trace.js";
export { kubeSummary, type KubeEndpointReach, type KubeServiceReach } from "./summary.js";
export { kubeServiceWords, kubeText } from "./text.js";
