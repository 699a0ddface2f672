//! servebench's native load engine: HTTP/1.1 load at wrk-class rates with microsecond latency, closed loop
//! (connections sending back to back, optionally pipelined) or open loop (arrivals on a seeded schedule,
//! every latency timed from its scheduled send time). The load runs on threads of its own, each with its
//! own epoll loop (mio) and connections; the report is assembled when they end.
//!
//! Modules: `config` (the checked configuration), `request` (URL, address, encoded requests), `arrivals` (schedules), `http` (response framing),
//! `conn` (one connection), `worker` (what both loops share), `closed` and `open` (the loops), `recorder`
//! (per-thread figures), `report` (the report and snapshot), `hdr_codec` (the histogram's V2 compressed encoding), `run` (threads, cancel, snapshot, waiting),
//! `clock` (monotonic and thread CPU clocks, the precise alarm).

mod arrivals;
mod clock;
mod closed;
mod config;
mod conn;
mod hdr_codec;
mod http;
mod open;
mod recorder;
mod report;
mod request;
mod run;
mod worker;

pub use config::{validate, LoadRunConfig};
pub use report::{LoadRunReport, LoadRunSnapshot};
pub use run::{start, RunHandle};
