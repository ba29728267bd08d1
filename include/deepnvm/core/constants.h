// SPDX-License-Identifier: MIT
#pragma once

// Physical constants in SI units. Exact values are the SI 2019 defining constants; the others are
// CODATA 2018 recommended values (NIST SP 961, 2019).

namespace deepnvm::constants {

inline constexpr double elementary_charge = 1.602176634e-19;             // C, exact
inline constexpr double reduced_planck = 1.054571817e-34;                // J s (h/2pi, h exact)
inline constexpr double boltzmann = 1.380649e-23;                        // J/K, exact
inline constexpr double vacuum_permeability = 1.25663706212e-6;          // N/A^2 (CODATA 2018)
inline constexpr double vacuum_permittivity = 8.8541878128e-12;          // F/m (CODATA 2018)
inline constexpr double electron_gyromagnetic_ratio = 1.76085963023e11;  // rad/(s T) (CODATA 2018)
inline constexpr double pi = 3.14159265358979323846;

}  // namespace deepnvm::constants
