/** The examples of examples/gallery.json, made by the gallery plugin in vite.config.ts. */
declare module "virtual:gallery" {
  const gallery: readonly {
    readonly id: string;
    readonly title: string;
    readonly lesson: string;
    readonly rulesName: string;
    readonly rules: string;
    readonly addr: string;
    readonly route: string;
    /** One setting a line, `net.ipv4.ip_forward=0`. */
    readonly sysctls: string;
    readonly packet: string;
    /** An interface the packet arrives on, or "local": a process on the host sends it. */
    readonly from: string;
  }[];
  export default gallery;
}
