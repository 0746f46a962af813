//! The ECS client over real HTTP on 127.0.0.1 (the simulator, or a scripted server for
//! exact failure sequences), the credential chain, and the signature vectors computed with
//! Alibaba Cloud's own SDK.

#[path = "../support/mod.rs"]
mod support;

mod batch;
mod behaviour;
mod credentials_chain;
mod credentials_files;
mod credentials_remote;
mod hostile_answers;
mod hostile_files;
mod matrix;
mod paging;
mod proxy;
mod sign_vectors;
mod sim;
mod tls;
mod usage;
