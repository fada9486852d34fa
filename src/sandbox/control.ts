import { json, type SandboxRequest, type SandboxResponse } from './http';
import { validateKnobs, type Knobs } from './knobs';

/** What the control API needs from the running server. */
export interface ControlTarget {
  knobs(): Knobs;
  setKnobs(k: Partial<Knobs>): void;
  reset(empty: boolean): void;
  stats(): object;
  info(): object;
}

/**
 * `/_sandbox/…`: GET/PUT `knobs`, POST `reset` (`{"empty": true}` for the empty world), GET
 * `stats` (request counts, for tests that watch SDK retries), GET `info` (endpoints). Exempt
 * from the knobs, so a test can always turn faults off again.
 */
export function handleControl(target: ControlTarget, req: SandboxRequest): SandboxResponse {
  const what = req.path.replace(/^\/_sandbox\/?/, '').replace(/\/$/, '');
  try {
    switch (`${req.method} ${what}`) {
      case 'GET knobs':
        return json(200, target.knobs());
      case 'PUT knobs':
      case 'PATCH knobs':
        target.setKnobs(validateKnobs(parse(req)));
        return json(200, target.knobs());
      case 'POST reset': {
        const body = parse(req);
        target.reset(typeof body === 'object' && body !== null && (body as Record<string, unknown>).empty === true);
        return json(200, { reset: true });
      }
      case 'GET stats':
        return json(200, target.stats());
      case 'GET info':
        return json(200, target.info());
      default:
        return json(404, {
          error: {
            code: 'NotFound',
            message: `Unknown control endpoint '${req.method} /_sandbox/${what}'. Known: GET|PUT knobs, POST reset, GET stats, GET info.`,
          },
        });
    }
  } catch (e) {
    return json(400, { error: { code: 'BadRequest', message: e instanceof Error ? e.message : String(e) } });
  }
}

function parse(req: SandboxRequest): unknown {
  const text = req.body.toString('utf8').trim();
  return text ? (JSON.parse(text) as unknown) : {};
}
