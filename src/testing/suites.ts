/**
 * The smallest suite the runner and report tests run: two backends weighted 2:1 behind one
 * location, one phase with the traffic and expectations given.
 */
export function twoToOneSuite(expect: string, traffic = '{ requests: 15 }'): string {
  return `name: two to one
backends:
  a: {}
  b: {}
balancer: |
  upstream app { server {{a}} weight=2; server {{b}}; }
  server { listen {{listen}}; location / { proxy_pass http://app; } }
phases:
  - name: steady
    traffic: ${traffic}
    expect: ${expect}
`;
}
