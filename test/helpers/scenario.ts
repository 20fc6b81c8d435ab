/** A scenario of examples/docker-host/scenarios.json: a question, the rules and packet that ask it, and the answer the kernel gives. */
export interface Scenario {
  readonly name: string;
  readonly question: string;
  readonly rules: string;
  readonly packet: string;
  readonly in?: string;
  readonly local?: true;
  readonly sysctl?: readonly string[];
  readonly expect: { readonly outcome: string; readonly interface?: string; readonly packet?: object };
}
