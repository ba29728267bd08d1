// SPDX-License-Identifier: MIT
#include "deepnvm/learn/idx.h"

#include <zlib.h>

#include <array>
#include <limits>
#include <memory>
#include <string>

#include <fmt/format.h>

#include "deepnvm/core/error.h"

namespace deepnvm::learn {

namespace {

constexpr std::uint8_t kUnsignedByte = 0x08;
// A dimension above this is a corrupt header, not a data set (it would ask for gigabytes).
constexpr std::int64_t kMaxElements = std::int64_t{1} << 31;

struct GzCloser {
  void operator()(gzFile f) const { gzclose(f); }
};
using GzFile = std::unique_ptr<std::remove_pointer_t<gzFile>, GzCloser>;

// gzread reads plain files unchanged, so one path serves both forms.
class Reader {
 public:
  explicit Reader(const std::filesystem::path& path) : path_(path), file_(gzopen(path.c_str(), "rb")) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) throw IoError(path.string(), "no such file (expected an IDX file)");
    if (!file_) throw IoError(path.string(), "cannot open for reading");
  }

  // Reads exactly `n` bytes; `what` says what they were for in the error.
  void read(void* out, std::size_t n, const char* what) {
    auto* p = static_cast<unsigned char*>(out);
    while (n > 0) {
      const unsigned chunk = static_cast<unsigned>(std::min<std::size_t>(n, 1u << 30));
      const int got = gzread(file_.get(), p, chunk);
      if (got < 0) {
        int code = 0;
        throw IoError(path_.string(), fmt::format("read error in {}: {}", what, gzerror(file_.get(), &code)));
      }
      if (got == 0) throw IoError(path_.string(), fmt::format("truncated: the file ends inside the {}", what));
      p += got;
      n -= static_cast<std::size_t>(got);
    }
  }

  bool at_end() {
    unsigned char c = 0;
    return gzread(file_.get(), &c, 1) == 0;
  }

 private:
  std::filesystem::path path_;
  GzFile file_;
};

}  // namespace

IdxArray read_idx(const std::filesystem::path& path, int expected_rank) {
  Reader in(path);
  std::array<std::uint8_t, 4> magic{};
  in.read(magic.data(), magic.size(), "4-byte magic number");
  if (magic[0] != 0 || magic[1] != 0 || magic[2] != kUnsignedByte || magic[3] != expected_rank)
    throw IoError(path.string(),
                  fmt::format("bad IDX magic {:02x} {:02x} {:02x} {:02x}: expected 00 00 08 {:02x} (unsigned bytes, "
                              "rank {})",
                              magic[0], magic[1], magic[2], magic[3], expected_rank, expected_rank));
  IdxArray a;
  std::int64_t elements = 1;
  for (int i = 0; i < expected_rank; ++i) {
    std::array<std::uint8_t, 4> b{};
    in.read(b.data(), b.size(), "header (big-endian dimensions)");
    const std::int64_t d = (std::int64_t{b[0]} << 24) | (std::int64_t{b[1]} << 16) | (std::int64_t{b[2]} << 8) | b[3];
    if (d == 0 || d > kMaxElements || elements > kMaxElements / d)
      throw IoError(path.string(),
                    fmt::format("dimension {} is {}: expected 1 to {} elements in all", i, d, kMaxElements));
    elements *= d;
    a.dims.push_back(d);
  }
  a.data.resize(static_cast<std::size_t>(elements));
  in.read(a.data.data(), a.data.size(), fmt::format("data ({} bytes)", elements).c_str());
  if (!in.at_end()) throw IoError(path.string(), fmt::format("more data than the header's {} bytes", elements));
  return a;
}

ImageSet read_image_set(const std::filesystem::path& images, const std::filesystem::path& labels, int classes) {
  IdxArray im = read_idx(images, 3);
  IdxArray lb = read_idx(labels, 1);
  if (im.dims[0] != lb.dims[0])
    throw IoError(labels.string(), fmt::format("{} labels for the {} images of {}: expected equal counts", lb.dims[0],
                                               im.dims[0], images.string()));
  for (std::size_t i = 0; i < lb.data.size(); ++i)
    if (lb.data[i] >= classes)
      throw IoError(labels.string(), fmt::format("label {} of item {}: expected 0 to {}", lb.data[i], i, classes - 1));
  return ImageSet{.count = im.dims[0],
                  .rows = im.dims[1],
                  .cols = im.dims[2],
                  .pixels = std::move(im.data),
                  .labels = std::move(lb.data)};
}

namespace {

std::filesystem::path plain_or_gz(const std::filesystem::path& dir, const std::string& name) {
  std::error_code ec;
  if (std::filesystem::exists(dir / name, ec)) return dir / name;
  if (std::filesystem::exists(dir / (name + ".gz"), ec)) return dir / (name + ".gz");
  throw IoError((dir / name).string(),
                fmt::format("no such file, nor {}.gz (Fashion-MNIST IDX files; Debian: apt-get install "
                            "dataset-fashion-mnist puts them in {})",
                            name, kDebianFashionMnistDir));
}

}  // namespace

FashionMnist load_fashion_mnist(const std::filesystem::path& dir) {
  // One at a time, in order: the first missing file is the one named.
  const std::filesystem::path train_images = plain_or_gz(dir, "train-images-idx3-ubyte");
  const std::filesystem::path train_labels = plain_or_gz(dir, "train-labels-idx1-ubyte");
  const std::filesystem::path test_images = plain_or_gz(dir, "t10k-images-idx3-ubyte");
  const std::filesystem::path test_labels = plain_or_gz(dir, "t10k-labels-idx1-ubyte");
  FashionMnist f;
  f.train = read_image_set(train_images, train_labels);
  f.test = read_image_set(test_images, test_labels);
  return f;
}

}  // namespace deepnvm::learn
