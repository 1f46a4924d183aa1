/**
 * SASL is out of scope for the embedded broker (it listens on PLAINTEXT only). A client configured for SASL gets
 * Kafka's own answers for a listener without the mechanism, and so a clear error instead of a hang.
 */
import { SaslAuthenticate } from '../../protocol/messages/sasl-authenticate.js'
import { SaslHandshake } from '../../protocol/messages/sasl-handshake.js'
import { handler, type HandlerEntry } from '../contracts.js'

const UNSUPPORTED_SASL_MECHANISM = 33
const ILLEGAL_SASL_STATE = 34

export function refusedHandlers(): HandlerEntry[] {
  return [
    handler(SaslHandshake, () => ({ errorCode: UNSUPPORTED_SASL_MECHANISM, mechanisms: [] })),
    handler(SaslAuthenticate, () => ({
      errorCode: ILLEGAL_SASL_STATE,
      errorMessage: 'SASL is not enabled on the embedded broker (PLAINTEXT only)',
      authBytes: Buffer.alloc(0),
    })),
  ]
}
