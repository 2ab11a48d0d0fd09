//! Sensitive fields sealed at rest with SM4 (国密, GB/T 32907), where a deployment sets a
//! field key: an applicant's ID number, phone, e-mail and address, and the secrets of
//! staff second factors. A copy of the database without the key does not show them.
//!
//! Sealing is deterministic (a synthetic IV, as in SIV: the IV is HMAC-SM3 of the text under
//! a second key), so the same text seals alike and the store can still find an applicant's
//! other requests by ID number; only that equality shows. Opening checks the IV against the
//! text, so a changed ciphertext is refused, not read as garbage. Values written before the
//! key was set stay plain and are read as they are.

use crate::StoreError;
use base64::Engine;
use base64::engine::general_purpose::STANDARD_NO_PAD;
use cbc::cipher::block_padding::Pkcs7;
use cbc::cipher::{BlockDecryptMut, BlockEncryptMut, KeyIvInit};
use hmac::{Hmac, Mac};
use sm3::{Digest, Sm3};

/// The mark of a sealed value.
pub const SEALED_PREFIX: &str = "sm4:";

type Enc = cbc::Encryptor<sm4::Sm4>;
type Dec = cbc::Decryptor<sm4::Sm4>;

/// The field key, split into the SM4 key and the MAC key.
#[derive(Clone)]
pub struct FieldCipher {
    enc: [u8; 16],
    mac: [u8; 32],
}

impl std::fmt::Debug for FieldCipher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FieldCipher(***)")
    }
}

impl FieldCipher {
    /// The cipher of a key given as 32 hexadecimal digits (128 bits, SM4's key size).
    pub fn from_hex(key: &str) -> Result<Self, StoreError> {
        let key = hex::decode(key.trim())
            .ok()
            .filter(|k| k.len() == 16)
            .ok_or_else(|| StoreError::Invalid("国密字段密钥须为 32 位十六进制数（128 位）".into()))?;
        let derive = |label: &[u8]| {
            let mut h = Sm3::new();
            h.update(label);
            h.update(&key);
            h.finalize()
        };
        let mut enc = [0u8; 16];
        enc.copy_from_slice(&derive(b"gongkai sm4 field encryption")[..16]);
        let mut mac = [0u8; 32];
        mac.copy_from_slice(&derive(b"gongkai sm4 field iv"));
        Ok(Self { enc, mac })
    }

    fn iv(&self, text: &[u8]) -> [u8; 16] {
        let mut m = <Hmac<Sm3> as Mac>::new_from_slice(&self.mac).expect("HMAC takes any key length");
        m.update(text);
        let mut iv = [0u8; 16];
        iv.copy_from_slice(&m.finalize().into_bytes()[..16]);
        iv
    }

    /// Seals `text` (an empty value stays empty: nothing to hide, and "not given" stays
    /// visible to the queries that look for it).
    pub fn seal(&self, text: &str) -> String {
        if text.is_empty() {
            return String::new();
        }
        let iv = self.iv(text.as_bytes());
        let ct = Enc::new(&self.enc.into(), &iv.into()).encrypt_padded_vec_mut::<Pkcs7>(text.as_bytes());
        let mut out = iv.to_vec();
        out.extend(ct);
        format!("{SEALED_PREFIX}{}", STANDARD_NO_PAD.encode(out))
    }

    /// Opens a stored value: a sealed one is decrypted and checked, a plain one (written
    /// before the key was set) is answered as it is.
    pub fn open(&self, stored: &str) -> Result<String, StoreError> {
        let Some(b64) = stored.strip_prefix(SEALED_PREFIX) else { return Ok(stored.to_string()) };
        let broken = || StoreError::Invalid("加密字段已损坏或密钥不符".into());
        let bytes = STANDARD_NO_PAD.decode(b64).map_err(|_| broken())?;
        if bytes.len() < 32 || bytes.len() % 16 != 0 {
            return Err(broken());
        }
        let (iv, ct) = bytes.split_at(16);
        let iv: [u8; 16] = iv.try_into().map_err(|_| broken())?;
        let text = Dec::new(&self.enc.into(), &iv.into()).decrypt_padded_vec_mut::<Pkcs7>(ct).map_err(|_| broken())?;
        if self.iv(&text) != iv {
            return Err(broken());
        }
        String::from_utf8(text).map_err(|_| broken())
    }
}

/// Opens a stored value with the cipher, if the deployment has one.
pub(crate) fn open(cipher: Option<&FieldCipher>, stored: String) -> Result<String, StoreError> {
    match cipher {
        Some(c) => c.open(&stored),
        None if stored.starts_with(SEALED_PREFIX) => {
            Err(StoreError::Invalid("此字段已用国密字段密钥加密，但未配置密钥（guomi_field_key）".into()))
        }
        None => Ok(stored),
    }
}

/// Seals a value with the cipher, if the deployment has one.
pub(crate) fn seal(cipher: Option<&FieldCipher>, text: &str) -> String {
    match cipher {
        Some(c) => c.seal(text),
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "0123456789abcdeffedcba9876543210";

    #[test]
    fn sm4_is_the_standard_one() {
        // GB/T 32907-2016 appendix A, example 1: key = plaintext = 0123456789abcdeffedcba9876543210.
        // One block in CBC with a zero IV is the block cipher itself.
        let key: [u8; 16] = hex::decode(KEY).expect("hex").try_into().expect("16 bytes");
        let out = Enc::new(&key.into(), &[0u8; 16].into())
            .encrypt_padded_vec_mut::<cbc::cipher::block_padding::NoPadding>(&key);
        assert_eq!(hex::encode(out), "681edf34d206965e86b3e94f536e4246");
    }

    #[test]
    fn fields_seal_alike_open_back_and_refuse_tampering() {
        let c = FieldCipher::from_hex(KEY).expect("key");
        let sealed = c.seal("11010519491231002X");
        assert!(sealed.starts_with("sm4:") && !sealed.contains("1101"), "{sealed}");
        assert_eq!(sealed, c.seal("11010519491231002X"), "deterministic: lookups by equality work");
        assert_ne!(sealed, c.seal("11010519491231003X"));
        assert_eq!(c.open(&sealed).expect("open"), "11010519491231002X");
        assert_eq!(c.open("重庆市黔江区城东街道").expect("plain"), "重庆市黔江区城东街道", "written before the key");
        assert_eq!(c.seal(""), "");
        let other = FieldCipher::from_hex("ffeeddccbbaa99887766554433221100").expect("key");
        assert!(other.open(&sealed).is_err(), "another key");
        let mut bytes = STANDARD_NO_PAD.decode(&sealed[4..]).expect("b64");
        bytes[20] ^= 1;
        assert!(c.open(&format!("sm4:{}", STANDARD_NO_PAD.encode(bytes))).is_err(), "a changed byte");
        assert!(FieldCipher::from_hex("abc").is_err());
        assert!(open(None, sealed).is_err(), "sealed without a key");
    }
}
