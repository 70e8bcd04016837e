#pragma once
//! "The simulated cluster did not answer" (a node down, paused or cut off
//! past the service's timeout) is one status for every API: 503 Service
//! Unavailable, which clients treat as retryable. Each API words the body
//! in its own error shape.

namespace compactsim::http {

inline constexpr unsigned no_answer_status = 503;

} // namespace compactsim::http
