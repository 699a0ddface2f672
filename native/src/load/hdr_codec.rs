//! HdrHistogram's V2 compressed encoding (the "compressed base64" of HdrHistogram in Java, Go, Rust and
//! hdr-histogram-js): a V2 header, the counts as ZigZag LEB128 with runs of zeros folded, all deflated in
//! a zlib stream behind a second header, then base64. Written here (about 60 lines) instead of taking
//! the hdrhistogram crate's serialization feature, which would add nom and flate2 to every build.

use hdrhistogram::Histogram;

/// V2 encoding cookie, with the bit that says "ZigZag LEB128 counts" (0x10), as Java writes it.
const V2_COOKIE: u32 = 0x1c84_9303 | 0x10;
const V2_COMPRESSED_COOKIE: u32 = 0x1c84_9304 | 0x10;
const ZLIB_LEVEL: u8 = 6;

/// ZigZag then LEB128, as HdrHistogram's ZigZagEncoding.putLong: at most 9 bytes, the 9th with 8 bits.
fn put_zigzag(out: &mut Vec<u8>, n: i64) {
    let mut v = ((n << 1) ^ (n >> 63)) as u64;
    for _ in 0..8 {
        if v >> 7 == 0 {
            out.push(v as u8);
            return;
        }
        out.push((v as u8 & 0x7f) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// The uncompressed V2 encoding: header, then the counts of every bucket up to the one holding the max.
fn encode_v2(h: &Histogram<u64>) -> Vec<u8> {
    let mut payload = Vec::new();
    let max = h.max();
    let mut zeros: i64 = 0;
    for step in h.iter_all() {
        if step.value_iterated_to() > max {
            break;
        }
        let count = step.count_at_value();
        if count == 0 {
            zeros += 1;
            continue;
        }
        if zeros > 0 {
            // A single zero is written as 0; a run of them as minus its length.
            put_zigzag(&mut payload, if zeros == 1 { 0 } else { -zeros });
            zeros = 0;
        }
        put_zigzag(&mut payload, count as i64);
    }
    let mut out = Vec::with_capacity(40 + payload.len());
    out.extend_from_slice(&V2_COOKIE.to_be_bytes());
    out.extend_from_slice(&(payload.len() as u32).to_be_bytes());
    // normalizingIndexOffset: always 0 here.
    out.extend_from_slice(&0u32.to_be_bytes());
    out.extend_from_slice(&u32::from(h.sigfig()).to_be_bytes());
    out.extend_from_slice(&h.low().to_be_bytes());
    out.extend_from_slice(&h.high().to_be_bytes());
    // integerToDoubleValueConversionRatio.
    out.extend_from_slice(&1.0f64.to_bits().to_be_bytes());
    out.extend_from_slice(&payload);
    out
}

/// The histogram in HdrHistogram's V2 compressed encoding, base64 (standard alphabet, padded).
pub fn encode_compressed_base64(h: &Histogram<u64>) -> String {
    let deflated = miniz_oxide::deflate::compress_to_vec_zlib(&encode_v2(h), ZLIB_LEVEL);
    let mut bytes = Vec::with_capacity(8 + deflated.len());
    bytes.extend_from_slice(&V2_COMPRESSED_COOKIE.to_be_bytes());
    bytes.extend_from_slice(&(deflated.len() as u32).to_be_bytes());
    bytes.extend_from_slice(&deflated);
    base64(&bytes)
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
#[path = "hdr_codec_tests.rs"]
mod tests;
