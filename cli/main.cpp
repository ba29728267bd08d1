// SPDX-License-Identifier: MIT
#include "app.h"

int main(int argc, char** argv) { return deepnvm::cli::run(argc, argv); }
