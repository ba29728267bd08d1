// SPDX-License-Identifier: MIT
// The transformer networks of the zoo: ViT-B/16 as torchvision 0.14.1 builds it, BERT-base and GPT-2
// small from their papers' hyper-parameters. Each attention block is its projections (Linear layers,
// as the network has them) around one parameter-free Attention core (graph.h says why).
#include <string>

#include <fmt/format.h>

#include "deepnvm/core/error.h"
#include "deepnvm/workload/zoo.h"
#include "zoo_helpers.h"

namespace deepnvm {

using namespace zoo;

namespace {

struct TransformerShape {
  std::int64_t layers, hidden, heads, ffn;
};

// One packed Q/K/V projection [S, E] -> [S, 3E], split into its thirds (ViT's in_proj, GPT-2's c_attn).
struct Qkv {
  TensorId q, k, v;
};
Qkv packed_qkv(GraphBuilder& g, const std::string& proj, const std::string& prefix, TensorId x) {
  const std::int64_t e = g.shape(x).back();
  const TensorId qkv = linear(g, proj, x, 3 * e);
  return {slice(g, prefix + ".q", qkv, -1, 0, e), slice(g, prefix + ".k", qkv, -1, e, e),
          slice(g, prefix + ".v", qkv, -1, 2 * e, e)};
}

void check_sequence(const ZooOptions& o, std::int64_t max_positions, std::string_view network) {
  if (o.sequence_length < 1 || o.sequence_length > max_positions)
    throw ConfigError({}, "sequence_length", "{} takes 1 to {} tokens, got {}", network, max_positions,
                      o.sequence_length);
}

}  // namespace

Network vit_b_16(const ZooOptions& o) {
  // ViT-B/16 (Dosovitskiy et al. 2021, Table 1): 12 layers, hidden 768, 12 heads, MLP 3072, patch 16.
  const TransformerShape t{12, 768, 12, 3072};
  GraphBuilder g("vit_b_16",
                 "torchvision v0.14.1 torchvision/models/vision_transformer.py, vit_b_16 (Dosovitskiy et al. 2021)",
                 o.dtype);
  TensorId x = conv(g, "conv_proj", image(g), t.hidden, {.kernel = 16, .stride = 16});
  const std::int64_t patches = g.shape(x)[1] * g.shape(x)[2];
  x = g.add("patches", Reshape{{t.hidden, patches}}, {x});
  x = g.add("tokens", Transpose{{1, 0}}, {x});
  const TensorId cls = g.add("class_token", Parameter{{1, t.hidden}}, {});
  x = concat(g, "prepend_class_token", {cls, x});
  const TensorId pos = g.add("encoder.pos_embedding", Parameter{{patches + 1, t.hidden}}, {});
  x = add(g, "encoder.add_pos_embedding", {x, pos});
  for (std::int64_t i = 0; i < t.layers; ++i) {
    const std::string n = fmt::format("encoder.layers.encoder_layer_{}", i);
    TensorId y = layer_norm(g, n + ".ln_1", x);
    const Qkv qkv = packed_qkv(g, n + ".self_attention.in_proj", n + ".self_attention", y);
    y = g.add(n + ".self_attention.core", Attention{.heads = t.heads}, {qkv.q, qkv.k, qkv.v});
    y = linear(g, n + ".self_attention.out_proj", y, t.hidden);
    x = add(g, n + ".add_1", {x, y});
    y = layer_norm(g, n + ".ln_2", x);
    y = activation(g, n + ".mlp.1", linear(g, n + ".mlp.0", y, t.ffn), ActivationKind::gelu);
    y = linear(g, n + ".mlp.3", y, t.hidden);
    x = add(g, n + ".add_2", {x, y});
  }
  x = layer_norm(g, "encoder.ln", x);
  x = g.add("class_token_out", Reshape{{t.hidden}}, {slice(g, "select_class_token", x, 0, 0, 1)});
  return std::move(g).finish({linear(g, "heads.head", x, 1000)});
}

Network bert_base(const ZooOptions& o) {
  // Devlin et al. 2019, §3 "BERT_BASE (L=12, H=768, A=12)", FFN 4H; vocabulary and position limits
  // as released (bert-base-uncased config: vocab 30522, 512 positions, 2 segment types).
  const TransformerShape t{12, 768, 12, 3072};
  check_sequence(o, 512, "bert_base");
  GraphBuilder g("bert_base",
                 "Devlin et al. 2019, BERT: Pre-training of Deep Bidirectional Transformers, §3 and Appendix A.2 "
                 "(BERT-base encoder with pooler; no pre-training heads)",
                 o.dtype);
  const Shape ids{o.sequence_length};
  const TensorId input_ids = g.input("input_ids", ids, DType::int64);
  const TensorId token_type_ids = g.input("token_type_ids", ids, DType::int64);
  const TensorId position_ids = g.input("position_ids", ids, DType::int64);
  const TensorId words = g.add("embeddings.word_embeddings", Embedding{30522, t.hidden}, {input_ids});
  const TensorId types = g.add("embeddings.token_type_embeddings", Embedding{2, t.hidden}, {token_type_ids});
  const TensorId positions = g.add("embeddings.position_embeddings", Embedding{512, t.hidden}, {position_ids});
  TensorId x = layer_norm(g, "embeddings.LayerNorm", add(g, "embeddings.sum", {words, types, positions}));
  for (std::int64_t i = 0; i < t.layers; ++i) {
    // Post-norm: LayerNorm after each residual add.
    const std::string n = fmt::format("encoder.layer.{}", i);
    const TensorId q = linear(g, n + ".attention.self.query", x, t.hidden);
    const TensorId k = linear(g, n + ".attention.self.key", x, t.hidden);
    const TensorId v = linear(g, n + ".attention.self.value", x, t.hidden);
    TensorId y = g.add(n + ".attention.self", Attention{.heads = t.heads}, {q, k, v});
    y = linear(g, n + ".attention.output.dense", y, t.hidden);
    x = layer_norm(g, n + ".attention.output.LayerNorm", add(g, n + ".attention.output.add", {y, x}));
    y = activation(g, n + ".intermediate.gelu", linear(g, n + ".intermediate.dense", x, t.ffn), ActivationKind::gelu);
    y = linear(g, n + ".output.dense", y, t.hidden);
    x = layer_norm(g, n + ".output.LayerNorm", add(g, n + ".output.add", {y, x}));
  }
  // The pooler: a dense layer with tanh on the first ([CLS]) token.
  TensorId pooled = g.add("pooler.first_token", Reshape{{t.hidden}}, {slice(g, "pooler.select", x, 0, 0, 1)});
  pooled = activation(g, "pooler.tanh", linear(g, "pooler.dense", pooled, t.hidden), ActivationKind::tanh);
  return std::move(g).finish({x, pooled});
}

Network gpt2_small(const ZooOptions& o) {
  // Radford et al. 2019, Table 2 (the 117M row, 124M as released): 12 layers, 768 wide, FFN 4x,
  // 12 heads (released hparams), vocabulary 50257, context 1024; pre-norm blocks and a final LayerNorm
  // (§2.3); the LM head is the token embedding transposed.
  const TransformerShape t{12, 768, 12, 3072};
  check_sequence(o, 1024, "gpt2_small");
  GraphBuilder g("gpt2_small",
                 "Radford et al. 2019, Language Models are Unsupervised Multitask Learners, §2.3 and Table 2 "
                 "(smallest model), with the released hparams (12 heads, vocab 50257, context 1024)",
                 o.dtype);
  const Shape ids{o.sequence_length};
  const TensorId input_ids = g.input("input_ids", ids, DType::int64);
  const TensorId position_ids = g.input("position_ids", ids, DType::int64);
  const TensorId words = g.add("wte", Embedding{50257, t.hidden}, {input_ids});
  const TensorId positions = g.add("wpe", Embedding{1024, t.hidden}, {position_ids});
  TensorId x = add(g, "embeddings.sum", {words, positions});
  for (std::int64_t i = 0; i < t.layers; ++i) {
    const std::string n = fmt::format("h.{}", i);
    TensorId y = layer_norm(g, n + ".ln_1", x);
    const Qkv qkv = packed_qkv(g, n + ".attn.c_attn", n + ".attn", y);
    y = g.add(n + ".attn.core", Attention{.heads = t.heads, .causal = true}, {qkv.q, qkv.k, qkv.v});
    y = linear(g, n + ".attn.c_proj", y, t.hidden);
    x = add(g, n + ".add_1", {x, y});
    y = layer_norm(g, n + ".ln_2", x);
    y = activation(g, n + ".mlp.act", linear(g, n + ".mlp.c_fc", y, t.ffn), ActivationKind::gelu_tanh);
    y = linear(g, n + ".mlp.c_proj", y, t.hidden);
    x = add(g, n + ".add_2", {x, y});
  }
  x = layer_norm(g, "ln_f", x);
  const TensorId logits =
      g.add("lm_head", Linear{.in_features = t.hidden, .out_features = 50257, .bias = false, .tied_to = "wte"}, {x});
  return std::move(g).finish({logits});
}

}  // namespace deepnvm
