// Issue 22: when the server asks for a proof of work (428 proof_required,
// with a challenge), it is solved in a Web Worker (/js/pow-worker.js) so the
// page stays usable, and the request is sent again with the proof. A phone
// spends well under a second on it when there is no flood; the server asks
// only when it cannot tell clients apart (Tor) or is being flooded.
export function solveChallenge(challenge) {
  if (!challenge || typeof challenge.token !== 'string' || typeof challenge.bits !== 'number') {
    return Promise.resolve(null);
  }
  return new Promise((resolve) => {
    let worker;
    try {
      worker = new Worker('/js/pow-worker.js');
    } catch {
      resolve(null);
      return;
    }
    worker.onmessage = (e) => {
      worker.terminate();
      resolve(e.data && typeof e.data.nonce === 'string' ? `${challenge.token}:${e.data.nonce}` : null);
    };
    worker.onerror = () => {
      worker.terminate();
      resolve(null);
    };
    worker.postMessage({ token: challenge.token, bits: challenge.bits });
  });
}
