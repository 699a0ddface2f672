//! The encoding decoded back by an independent reader written from the format's description.

use super::*;
use crate::load::recorder::latency_histogram;

fn unbase64(s: &str) -> Vec<u8> {
    let val = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => panic!("not base64: {c}"),
    };
    let mut out = Vec::new();
    for chunk in s.as_bytes().chunks(4) {
        let data: Vec<u8> = chunk
            .iter()
            .copied()
            .filter(|&c| c != b'=')
            .map(val)
            .collect();
        let n = data
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &v)| n | u32::from(v) << (18 - 6 * i));
        for i in 0..data.len() - 1 {
            out.push((n >> (16 - 8 * i)) as u8);
        }
    }
    out
}

fn be32(b: &[u8]) -> u32 {
    u32::from_be_bytes(b[..4].try_into().unwrap())
}

fn get_zigzag(b: &[u8], pos: &mut usize) -> i64 {
    let mut v: u64 = 0;
    for i in 0..9 {
        let byte = b[*pos];
        *pos += 1;
        if i == 8 {
            v |= u64::from(byte) << 56;
            break;
        }
        v |= u64::from(byte & 0x7f) << (7 * i);
        if byte & 0x80 == 0 {
            break;
        }
    }
    ((v >> 1) as i64) ^ -((v & 1) as i64)
}

/// Decode to (sigfig, low, high, counts by bucket index).
fn decode(text: &str) -> (u32, u64, u64, Vec<u64>) {
    let outer = unbase64(text);
    assert_eq!(be32(&outer), 0x1c84_9314);
    assert_eq!(be32(&outer[4..]) as usize, outer.len() - 8);
    let v2 = miniz_oxide::inflate::decompress_to_vec_zlib(&outer[8..]).unwrap();
    assert_eq!(be32(&v2), 0x1c84_9313);
    let payload_len = be32(&v2[4..]) as usize;
    assert_eq!(v2.len(), 40 + payload_len);
    let u64_at = |i: usize| u64::from_be_bytes(v2[i..i + 8].try_into().unwrap());
    assert_eq!(f64::from_bits(u64_at(32)), 1.0);
    let mut counts = Vec::new();
    let mut pos = 40;
    while pos < v2.len() {
        let n = get_zigzag(&v2, &mut pos);
        if n < 0 {
            counts.extend(std::iter::repeat_n(0, (-n) as usize));
        } else {
            counts.push(n as u64);
        }
    }
    (be32(&v2[12..]), u64_at(16), u64_at(24), counts)
}

#[test]
fn base64_of_known_bytes() {
    assert_eq!(base64(b""), "");
    assert_eq!(base64(b"f"), "Zg==");
    assert_eq!(base64(b"fo"), "Zm8=");
    assert_eq!(base64(b"foo"), "Zm9v");
    assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    assert_eq!(unbase64("Zm9vYmE="), b"fooba");
}

#[test]
fn zigzag_matches_hdrhistogram() {
    let mut out = Vec::new();
    for n in [
        0i64,
        1,
        -1,
        63,
        -64,
        64,
        1 << 20,
        -(1 << 40),
        i64::MAX,
        i64::MIN,
    ] {
        out.clear();
        put_zigzag(&mut out, n);
        assert!(out.len() <= 9);
        assert_eq!(get_zigzag(&out, &mut 0), n, "{n}");
    }
    out.clear();
    put_zigzag(&mut out, 300);
    // zigzag(300) = 600 = 0b100_1011000: LEB128 0xd8 0x04.
    assert_eq!(out, vec![0xd8, 0x04]);
}

#[test]
fn round_trip_keeps_every_count() {
    let mut h = latency_histogram();
    for v in [
        1u64,
        2,
        3,
        100,
        1000,
        1001,
        12_345,
        999_999,
        5_000_000,
        3_000_000_000,
    ] {
        h.record_n(v, v % 7 + 1).unwrap();
    }
    let (sigfig, low, high, counts) = decode(&encode_compressed_base64(&h));
    assert_eq!((sigfig, low), (3, 1));
    assert!(
        high >= 3_000_000_000,
        "the histogram grew to hold the largest value"
    );
    // Bucket by bucket, as the all-values iterator walks them.
    let mut total = 0;
    for (step, &count) in h.iter_all().zip(&counts) {
        assert_eq!(
            step.count_at_value(),
            count,
            "at {}",
            step.value_iterated_to()
        );
        total += count;
    }
    assert_eq!(total, h.len());
    assert_eq!(counts.last().copied(), Some(h.count_at(3_000_000_000)));
}

#[test]
fn lone_zeros_and_runs() {
    let mut h = latency_histogram();
    h.record(1).unwrap();
    h.record(3).unwrap();
    h.record(10).unwrap();
    let (_, _, _, counts) = decode(&encode_compressed_base64(&h));
    assert_eq!(counts, vec![0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 1]);
}
