// SPDX-License-Identifier: MIT
#pragma once

// Content hashes for the study's result cache: 64-bit FNV-1a (Fowler, Noll and Vo; IETF draft
// draft-eastlake-fnv) over normalized input text. Not cryptographic; it only names cache entries,
// and an entry also stores its full key, which is compared on load.

#include <cstdint>
#include <string>
#include <string_view>

namespace deepnvm::study {

std::uint64_t fnv1a64(std::string_view data, std::uint64_t seed = 0xcbf29ce484222325ull);

/// 16 lower-case hex digits of fnv1a64(data).
std::string hash_hex(std::string_view data);

}  // namespace deepnvm::study
