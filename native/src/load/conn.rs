//! One keep-alive HTTP/1.1 connection of the load engine, on a non-blocking socket watched by mio (epoll,
//! edge-triggered: registered once, never re-armed, so a request costs one write and one read).
//! Requests are written as bytes; responses are framed by `http::ResponseParser` and matched in order
//! with the requests in flight, which pipelining allows to be several.

use super::http::{ResponseParser, Step, MAX_HEAD_BYTES};
use super::recorder::Failure;
use mio::net::TcpStream;
use mio::{Interest, Registry, Token};
use std::collections::VecDeque;
use std::io::{self, Read, Write};
use std::net::SocketAddr;

pub use super::http::Response;

/// One request on a connection.
#[derive(Clone, Copy, Debug)]
pub struct InFlight {
    /// When its latency starts: the write (closed loop) or the scheduled send time (open loop), ns.
    pub start_ns: u64,
    /// When its bytes were written (0 until then), ns.
    pub sent_ns: u64,
    /// It belongs to the measured window (open loop: scheduled in it).
    pub measured: bool,
    /// Open loop: it waited in the queue for a free connection.
    pub from_queue: bool,
}

/// How a read ended.
pub enum ReadEnd {
    /// Everything available was read; the connection stays open.
    Open,
    /// The connection cannot go on: the server closed it (`None`) or it failed.
    Closed(Option<Failure>),
}

const INITIAL_BUFFER: usize = 8 * 1024;

pub struct Conn {
    stream: TcpStream,
    pub connected: bool,
    inbuf: Vec<u8>,
    filled: usize,
    out: Vec<u8>,
    out_pos: usize,
    parser: ResponseParser,
    pub inflight: VecDeque<InFlight>,
    /// Requests at the back of `inflight` not yet written.
    unsent: usize,
    /// The server said it closes the connection after the last response.
    pub closing: bool,
}

impl Conn {
    /// Start connecting (non-blocking) and watch the socket for both directions.
    pub fn open(addr: SocketAddr, registry: &Registry, token: Token) -> io::Result<Conn> {
        let mut stream = TcpStream::connect(addr)?;
        registry.register(&mut stream, token, Interest::READABLE | Interest::WRITABLE)?;
        Ok(Conn {
            stream,
            connected: false,
            inbuf: vec![0; INITIAL_BUFFER],
            filled: 0,
            out: Vec::with_capacity(1024),
            out_pos: 0,
            parser: ResponseParser::default(),
            inflight: VecDeque::new(),
            unsent: 0,
            closing: false,
        })
    }

    /// Stop watching the socket; dropping the Conn then closes it.
    pub fn close(mut self, registry: &Registry) -> VecDeque<InFlight> {
        let _ = registry.deregister(&mut self.stream);
        std::mem::take(&mut self.inflight)
    }

    /// After a writable or error event while connecting: Ok(true) once connected, Ok(false) while still
    /// connecting, Err when the connection failed.
    pub fn finish_connect(&mut self) -> io::Result<bool> {
        if let Some(e) = self.stream.take_error()? {
            return Err(e);
        }
        match self.stream.peer_addr() {
            Ok(_) => {
                self.connected = true;
                // Requests are small and latency is what is measured: never wait to coalesce them.
                let _ = self.stream.set_nodelay(true);
                Ok(true)
            }
            Err(e) if e.kind() == io::ErrorKind::NotConnected => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// Queue one request's bytes (written by the next `flush`).
    pub fn push(&mut self, bytes: &[u8], req: InFlight) {
        self.out.extend_from_slice(bytes);
        self.inflight.push_back(req);
        self.unsent += 1;
    }

    /// Write what is queued, as far as the socket takes it. Requests whose bytes start going out are
    /// stamped with `now_ns` (and their start, for the closed loop when `start_at_send`); returns how many.
    pub fn flush(&mut self, now_ns: u64, start_at_send: bool) -> io::Result<usize> {
        if !self.connected || self.out_pos == self.out.len() {
            return Ok(0);
        }
        let mut wrote_any = false;
        while self.out_pos < self.out.len() {
            match self.stream.write(&self.out[self.out_pos..]) {
                Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
                Ok(n) => {
                    self.out_pos += n;
                    wrote_any = true;
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        }
        if self.out_pos == self.out.len() {
            self.out.clear();
            self.out_pos = 0;
        }
        if !wrote_any {
            return Ok(0);
        }
        let stamped = self.unsent;
        let len = self.inflight.len();
        for r in self.inflight.range_mut(len - stamped..) {
            r.sent_ns = now_ns;
            if start_at_send {
                r.start_ns = now_ns;
            }
        }
        self.unsent = 0;
        Ok(stamped)
    }

    /// Read what the socket has and hand each complete response, with its request, to `done`. `to_end`:
    /// the event said the peer closed (or the socket failed): read on to the end, where a short read
    /// would otherwise stop early and the close, already signalled, would never be seen.
    pub fn read(
        &mut self,
        head_request: bool,
        to_end: bool,
        mut done: impl FnMut(InFlight, Response),
    ) -> ReadEnd {
        loop {
            if self.filled == self.inbuf.len() {
                if self.inbuf.len() > MAX_HEAD_BYTES {
                    return ReadEnd::Closed(Some(Failure::protocol()));
                }
                self.inbuf.resize(self.inbuf.len() * 2, 0);
            }
            let room = self.inbuf.len() - self.filled;
            let n = match self.stream.read(&mut self.inbuf[self.filled..]) {
                Ok(0) => return self.at_close(&mut done),
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return ReadEnd::Open,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return ReadEnd::Closed(Some(Failure::from_io(&e))),
            };
            self.filled += n;
            if let Err(f) = self.parse(head_request, &mut done) {
                return ReadEnd::Closed(Some(f));
            }
            // A short read emptied the socket: edge-triggered epoll reports any later data as a new event.
            if n < room && !to_end {
                return ReadEnd::Open;
            }
        }
    }

    fn parse(
        &mut self,
        head_request: bool,
        done: &mut impl FnMut(InFlight, Response),
    ) -> Result<(), Failure> {
        let mut pos = 0;
        while pos < self.filled {
            match self
                .parser
                .advance(&self.inbuf[pos..self.filled], head_request)
            {
                Ok(Step::NeedMore { consumed }) => {
                    pos += consumed;
                    break;
                }
                Ok(Step::Complete { consumed, response }) => {
                    pos += consumed;
                    // A response nobody asked for: the stream is not what we think it is.
                    let req = self.inflight.pop_front().ok_or_else(Failure::protocol)?;
                    if !response.keep_alive {
                        self.closing = true;
                    }
                    done(req, response);
                    if self.closing {
                        // Nothing after a closing response belongs to us.
                        pos = self.filled;
                    }
                }
                Err(_) => return Err(Failure::protocol()),
            }
        }
        if pos > 0 {
            self.inbuf.copy_within(pos..self.filled, 0);
            self.filled -= pos;
        }
        Ok(())
    }

    /// The server closed the connection: a body that runs to the close ends here; anything else in
    /// flight was cut off.
    fn at_close(&mut self, done: &mut impl FnMut(InFlight, Response)) -> ReadEnd {
        if let Some(response) = self.parser.finish_at_close() {
            if let Some(req) = self.inflight.pop_front() {
                done(req, response);
            }
            self.closing = true;
        }
        if self.closing || self.inflight.is_empty() {
            ReadEnd::Closed(None)
        } else {
            ReadEnd::Closed(Some(Failure::CLOSED))
        }
    }
}
