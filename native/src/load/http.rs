//! HTTP/1.1 response framing for the load engine: finds where each response ends in the bytes a connection
//! receives (status line and headers with httparse, then a Content-Length body, a chunked body, or a body
//! that ends with the connection), so responses can be counted and timed one by one even when pipelined.
//! Bodies are skipped, never stored: only their length is counted.

/// What one call to [`ResponseParser::advance`] found.
#[derive(Debug, PartialEq, Eq)]
pub enum Step {
    /// All the bytes that could be used were used (`consumed`); the rest is an unfinished header or chunk-size
    /// line, to be offered again with more bytes after it.
    NeedMore { consumed: usize },
    /// A response ended after `consumed` bytes of this call.
    Complete { consumed: usize, response: Response },
}

/// One complete response.
#[derive(Debug, PartialEq, Eq, Clone, Copy)]
pub struct Response {
    pub status: u16,
    /// The server keeps the connection open after it (HTTP/1.1 without `Connection: close`, or 1.0 with keep-alive).
    pub keep_alive: bool,
    /// Bytes of the response, status line to the end of the body.
    pub bytes: u64,
}

/// The bytes were not an HTTP/1.x response.
#[derive(Debug, PartialEq, Eq)]
pub struct ProtocolError(pub &'static str);

/// Longest status line plus headers accepted, bytes.
pub const MAX_HEAD_BYTES: usize = 1 << 20;
const MAX_HEADERS: usize = 64;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Head,
    /// `remaining` body bytes of a Content-Length body.
    Body {
        remaining: u64,
    },
    ChunkSize,
    ChunkData {
        remaining: u64,
    },
    ChunkDataEnd,
    Trailers,
    /// No length: the body ends when the server closes the connection.
    UntilClose,
}

/// The framing state of one connection's response stream.
#[derive(Debug)]
pub struct ResponseParser {
    state: State,
    status: u16,
    keep_alive: bool,
    bytes: u64,
}

impl Default for ResponseParser {
    fn default() -> Self {
        ResponseParser {
            state: State::Head,
            status: 0,
            keep_alive: true,
            bytes: 0,
        }
    }
}

impl ResponseParser {
    /// Forget any response under way (the connection was replaced).
    pub fn reset(&mut self) {
        *self = ResponseParser::default();
    }

    /// Read as far as `buf` allows. `head_request`: the response answers a HEAD request (no body whatever
    /// the headers say). Call again with the bytes after `consumed` until it asks for more.
    pub fn advance(&mut self, buf: &[u8], head_request: bool) -> Result<Step, ProtocolError> {
        let mut pos = 0;
        loop {
            let rest = &buf[pos..];
            match self.state {
                State::Head => match self.parse_head(rest, head_request)? {
                    None => return Ok(Step::NeedMore { consumed: pos }),
                    Some(n) => pos += n,
                },
                State::Body { remaining } => {
                    let take = remaining.min(rest.len() as u64);
                    pos += take as usize;
                    self.bytes += take;
                    if take == remaining {
                        return Ok(self.complete(pos));
                    }
                    self.state = State::Body {
                        remaining: remaining - take,
                    };
                    return Ok(Step::NeedMore { consumed: pos });
                }
                State::ChunkSize => match httparse::parse_chunk_size(rest) {
                    Ok(httparse::Status::Complete((n, size))) => {
                        pos += n;
                        self.bytes += n as u64;
                        self.state = if size == 0 {
                            State::Trailers
                        } else {
                            State::ChunkData { remaining: size }
                        };
                    }
                    Ok(httparse::Status::Partial) => return self.need_line(rest, pos),
                    Err(_) => return Err(ProtocolError("invalid chunk size")),
                },
                State::ChunkData { remaining } => {
                    let take = remaining.min(rest.len() as u64);
                    pos += take as usize;
                    self.bytes += take;
                    if take < remaining {
                        self.state = State::ChunkData {
                            remaining: remaining - take,
                        };
                        return Ok(Step::NeedMore { consumed: pos });
                    }
                    self.state = State::ChunkDataEnd;
                }
                State::ChunkDataEnd => {
                    if rest.len() < 2 {
                        return Ok(Step::NeedMore { consumed: pos });
                    }
                    if &rest[..2] != b"\r\n" {
                        return Err(ProtocolError("chunk not followed by CRLF"));
                    }
                    pos += 2;
                    self.bytes += 2;
                    self.state = State::ChunkSize;
                }
                State::Trailers => match find_crlf(rest) {
                    None => return self.need_line(rest, pos),
                    Some(i) => {
                        pos += i + 2;
                        self.bytes += i as u64 + 2;
                        // An empty line ends the trailers, and the response.
                        if i == 0 {
                            return Ok(self.complete(pos));
                        }
                    }
                },
                State::UntilClose => {
                    self.bytes += rest.len() as u64;
                    return Ok(Step::NeedMore {
                        consumed: buf.len(),
                    });
                }
            }
        }
    }

    /// The connection ended: completes a response whose body lasts until the close. None otherwise.
    pub fn finish_at_close(&mut self) -> Option<Response> {
        if self.state != State::UntilClose {
            return None;
        }
        self.keep_alive = false;
        match self.complete(0) {
            Step::Complete { response, .. } => Some(response),
            Step::NeedMore { .. } => None,
        }
    }

    fn need_line(&self, rest: &[u8], pos: usize) -> Result<Step, ProtocolError> {
        if rest.len() > MAX_HEAD_BYTES {
            return Err(ProtocolError("line too long"));
        }
        Ok(Step::NeedMore { consumed: pos })
    }

    fn complete(&mut self, consumed: usize) -> Step {
        let response = Response {
            status: self.status,
            keep_alive: self.keep_alive,
            bytes: self.bytes,
        };
        self.reset();
        Step::Complete { consumed, response }
    }

    /// Parse a status line and headers at the start of `buf`: the bytes used, or None when incomplete.
    fn parse_head(
        &mut self,
        buf: &[u8],
        head_request: bool,
    ) -> Result<Option<usize>, ProtocolError> {
        let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
        let mut res = httparse::Response::new(&mut headers);
        let n = match res.parse(buf) {
            Ok(httparse::Status::Complete(n)) => n,
            Ok(httparse::Status::Partial) if buf.len() > MAX_HEAD_BYTES => {
                return Err(ProtocolError("response head too long"))
            }
            Ok(httparse::Status::Partial) => return Ok(None),
            Err(httparse::Error::TooManyHeaders) => return Err(ProtocolError("too many headers")),
            Err(_) => return Err(ProtocolError("invalid response head")),
        };
        let status = res.code.unwrap_or(0);
        let version = res.version.unwrap_or(1);
        self.bytes += n as u64;
        // An interim response (100 Continue, 103 Early Hints) precedes the real one.
        if (100..200).contains(&status) && status != 101 {
            return Ok(Some(n));
        }
        let mut keep_alive = version == 1;
        let mut chunked = false;
        let mut length: Option<u64> = None;
        for h in res.headers.iter() {
            if h.name.eq_ignore_ascii_case("content-length") {
                let text = std::str::from_utf8(h.value)
                    .map_err(|_| ProtocolError("invalid content-length"))?;
                length = Some(
                    text.trim()
                        .parse()
                        .map_err(|_| ProtocolError("invalid content-length"))?,
                );
            } else if h.name.eq_ignore_ascii_case("transfer-encoding") {
                chunked = h
                    .value
                    .split(|&b| b == b',')
                    .any(|t| t.trim_ascii().eq_ignore_ascii_case(b"chunked"));
            } else if h.name.eq_ignore_ascii_case("connection") {
                for token in h.value.split(|&b| b == b',').map(<[u8]>::trim_ascii) {
                    if token.eq_ignore_ascii_case(b"close") {
                        keep_alive = false;
                    } else if token.eq_ignore_ascii_case(b"keep-alive") {
                        keep_alive = true;
                    }
                }
            }
        }
        self.status = status;
        self.keep_alive = keep_alive;
        self.state = if head_request || status == 204 || status == 304 {
            State::Body { remaining: 0 }
        } else if chunked {
            State::ChunkSize
        } else if let Some(len) = length {
            State::Body { remaining: len }
        } else {
            self.keep_alive = false;
            State::UntilClose
        };
        Ok(Some(n))
    }
}

fn find_crlf(buf: &[u8]) -> Option<usize> {
    buf.windows(2).position(|w| w == b"\r\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Feed `input` in pieces of `piece` bytes, as a connection would, keeping unconsumed bytes.
    fn feed(input: &[u8], piece: usize, head_request: bool) -> (Vec<Response>, Option<Response>) {
        let mut p = ResponseParser::default();
        let mut pending: Vec<u8> = Vec::new();
        let mut out = Vec::new();
        for chunk in input.chunks(piece.max(1)) {
            pending.extend_from_slice(chunk);
            let mut pos = 0;
            loop {
                match p.advance(&pending[pos..], head_request).expect("valid") {
                    Step::Complete { consumed, response } => {
                        pos += consumed;
                        out.push(response);
                    }
                    Step::NeedMore { consumed } => {
                        pos += consumed;
                        break;
                    }
                }
            }
            pending.drain(..pos);
        }
        (out, p.finish_at_close())
    }

    const NGINX: &[u8] = b"HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Type: text/plain\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\nok";

    #[test]
    fn content_length_responses_in_any_pieces() {
        let mut three = Vec::new();
        for _ in 0..3 {
            three.extend_from_slice(NGINX);
        }
        for piece in [1, 2, 7, 64, 10_000] {
            let (rs, end) = feed(&three, piece, false);
            assert_eq!(rs.len(), 3, "piece {piece}");
            assert!(rs
                .iter()
                .all(|r| r.status == 200 && r.keep_alive && r.bytes == NGINX.len() as u64));
            assert_eq!(end, None);
        }
    }

    #[test]
    fn chunked_body_with_trailers() {
        let body = b"HTTP/1.1 503 Busy\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nWiki\r\n5;x=1\r\npedia\r\n0\r\nX-T: 1\r\n\r\n";
        for piece in [1, 3, 1000] {
            let (rs, _) = feed(body, piece, false);
            assert_eq!(
                rs,
                vec![Response {
                    status: 503,
                    keep_alive: true,
                    bytes: body.len() as u64
                }],
                "piece {piece}"
            );
        }
    }

    #[test]
    fn head_requests_204_and_interim_responses_have_no_body() {
        let head = b"HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n";
        assert_eq!(feed(head, 5, true).0.len(), 1);
        let no_content =
            b"HTTP/1.1 204 No Content\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
        assert_eq!(
            feed(no_content, 4, false)
                .0
                .iter()
                .map(|r| r.status)
                .collect::<Vec<_>>(),
            vec![204, 200]
        );
        let interim =
            b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 1\r\n\r\nx";
        assert_eq!(
            feed(interim, 3, false)
                .0
                .iter()
                .map(|r| r.status)
                .collect::<Vec<_>>(),
            vec![201]
        );
    }

    #[test]
    fn connection_close_and_http10() {
        let close = b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 1\r\n\r\nx";
        assert!(!feed(close, 100, false).0[0].keep_alive);
        let keep10 = b"HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 1\r\n\r\nx";
        assert!(feed(keep10, 100, false).0[0].keep_alive);
        // No length: the body runs to the close.
        let until_close = b"HTTP/1.0 200 OK\r\n\r\nhello";
        let (rs, end) = feed(until_close, 2, false);
        assert!(rs.is_empty());
        assert_eq!(
            end,
            Some(Response {
                status: 200,
                keep_alive: false,
                bytes: until_close.len() as u64
            })
        );
    }

    #[test]
    fn garbage_is_a_protocol_error() {
        let mut p = ResponseParser::default();
        assert!(p.advance(b"SSH-2.0-OpenSSH\r\n\r\n", false).is_err());
        let mut p = ResponseParser::default();
        assert!(p
            .advance(b"HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n", false)
            .is_err());
        let mut p = ResponseParser::default();
        assert!(p
            .advance(
                b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
                false
            )
            .is_err());
    }
}
