/**
 * SASL client mechanisms kafkit speaks: PLAIN (RFC 4616) and SCRAM-SHA-256/512 (RFC 5802/7677, as Kafka's
 * ScramSaslServer expects: no channel binding, "n,," GS2 header). Written here rather than taken from a package: the
 * maintained SCRAM clients on npm are bundled with database drivers, and the exchange is ~60 lines of node:crypto.
 */
import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto'

export type SaslMechanism = 'plain' | 'scram-sha-256' | 'scram-sha-512'

export interface SaslCredentials {
  mechanism: SaslMechanism
  username: string
  password: string
}

/** One authentication exchange: each call gets the server's last message (none at first) and returns the next one. */
export interface SaslExchange {
  /** The mechanism name for SaslHandshake. */
  name: string
  next(serverMessage: Buffer | undefined): Buffer | undefined
  /** Throws when the server's final message does not prove it knows the password (SCRAM). */
  finish(serverMessage: Buffer): void
}

export function saslExchange(credentials: SaslCredentials): SaslExchange {
  if (credentials.mechanism === 'plain') {
    let sent = false
    return {
      name: 'PLAIN',
      next() {
        if (sent) return undefined
        sent = true
        return Buffer.from(`\0${credentials.username}\0${credentials.password}`, 'utf8')
      },
      finish() {},
    }
  }
  return scram(credentials.mechanism === 'scram-sha-256' ? 'sha256' : 'sha512', credentials)
}

/** SCRAM's "saslname": ',' and '=' escaped. */
const saslName = (name: string) => name.replace(/=/g, '=3D').replace(/,/g, '=2C')

function scram(hash: 'sha256' | 'sha512', { username, password }: SaslCredentials): SaslExchange {
  const keyLength = hash === 'sha256' ? 32 : 64
  const clientNonce = randomBytes(24).toString('base64url')
  const clientFirstBare = `n=${saslName(username)},r=${clientNonce}`
  let step = 0
  let expectedServerSignature: Buffer | undefined
  const hmac = (key: Buffer, text: string) => createHmac(hash, key).update(text).digest()

  return {
    name: hash === 'sha256' ? 'SCRAM-SHA-256' : 'SCRAM-SHA-512',
    next(serverMessage) {
      step++
      if (step === 1) return Buffer.from(`n,,${clientFirstBare}`, 'utf8')
      if (step !== 2 || !serverMessage) return undefined
      const serverFirst = serverMessage.toString('utf8')
      const attributes = new Map(serverFirst.split(',').map((part) => [part[0], part.slice(2)]))
      const nonce = attributes.get('r')
      const salt = attributes.get('s')
      const iterations = Number(attributes.get('i'))
      if (!nonce?.startsWith(clientNonce) || !salt || !Number.isInteger(iterations) || iterations < 1)
        throw new Error(`Unexpected SCRAM server message: ${serverFirst}`)
      const saltedPassword = pbkdf2Sync(password, Buffer.from(salt, 'base64'), iterations, keyLength, hash)
      const clientKey = hmac(saltedPassword, 'Client Key')
      const storedKey = createHash(hash).update(clientKey).digest()
      const clientFinalWithoutProof = `c=biws,r=${nonce}`
      const authMessage = `${clientFirstBare},${serverFirst},${clientFinalWithoutProof}`
      const clientSignature = hmac(storedKey, authMessage)
      const proof = Buffer.alloc(clientKey.length)
      for (let i = 0; i < proof.length; i++) proof[i] = clientKey[i]! ^ clientSignature[i]!
      expectedServerSignature = hmac(hmac(saltedPassword, 'Server Key'), authMessage)
      return Buffer.from(`${clientFinalWithoutProof},p=${proof.toString('base64')}`, 'utf8')
    },
    finish(serverMessage) {
      const text = serverMessage.toString('utf8')
      if (text.startsWith('e=')) throw new Error(`SCRAM authentication failed: ${text.slice(2)}`)
      const signature = Buffer.from(text.startsWith('v=') ? text.slice(2) : '', 'base64')
      if (
        !expectedServerSignature ||
        signature.length !== expectedServerSignature.length ||
        !timingSafeEqual(signature, expectedServerSignature)
      )
        throw new Error('SCRAM authentication failed: the server did not prove it knows the password')
    },
  }
}
