# SPDX-License-Identifier: MIT
"""BERT-base and GPT-2 small in plain PyTorch (no HuggingFace, nothing downloaded).

Built from the papers' hyper-parameters exactly as src/workload/zoo_transformer.cpp builds them, so
that tools/export_onnx.py can export them and tests/workload/onnx_test.cpp can compare the imported
graph with the zoo graph layer by layer:

- BERT-base (Devlin et al. 2019, §3): L=12, H=768, A=12, FFN 4H; vocabulary 30522, 512 positions, 2
  segment types; post-norm blocks with separate query/key/value projections; erf GELU; a pooler
  (dense + tanh) on the first token. Inputs: input_ids, token_type_ids, position_ids.
- GPT-2 small (Radford et al. 2019, §2.3 and Table 2; released hparams): 12 layers, 768 wide, 12
  heads, FFN 3072, vocabulary 50257, context 1024; pre-norm blocks with one packed Q/K/V projection,
  causal self-attention, tanh-approximated GELU, a final LayerNorm and an LM head tied to the token
  embedding. Inputs: input_ids, position_ids.

The attention core is written the usual way (split heads, Q·Kᵀ / sqrt(d), additive mask, softmax,
·V, merge heads), which is the pattern the ONNX importer folds back into one Attention layer.
"""

import math

import torch
from torch import nn


class SelfAttention(nn.Module):
    """Scaled dot-product attention over already projected Q, K, V of shape [batch, seq, width]."""

    def __init__(self, heads, causal):
        super().__init__()
        self.heads = heads
        self.causal = causal

    def split(self, x):
        b, s, e = x.shape
        return x.view(b, s, self.heads, e // self.heads).transpose(1, 2)

    def forward(self, q, k, v):
        b, s, e = q.shape
        q, k, v = self.split(q), self.split(k), self.split(v)
        scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(e // self.heads)
        if self.causal:
            # An additive mask, -inf above the diagonal: a constant the exporter folds.
            scores = scores + torch.full((s, s), float("-inf"), device=scores.device).triu(1)
        probs = torch.softmax(scores, dim=-1)
        return torch.matmul(probs, v).transpose(1, 2).reshape(b, s, e)


class BertLayer(nn.Module):
    def __init__(self, hidden, heads, ffn):
        super().__init__()
        self.query = nn.Linear(hidden, hidden)
        self.key = nn.Linear(hidden, hidden)
        self.value = nn.Linear(hidden, hidden)
        self.attention = SelfAttention(heads, causal=False)
        self.attention_dense = nn.Linear(hidden, hidden)
        self.attention_norm = nn.LayerNorm(hidden, eps=1e-12)
        self.intermediate = nn.Linear(hidden, ffn)
        self.gelu = nn.GELU()
        self.output = nn.Linear(ffn, hidden)
        self.output_norm = nn.LayerNorm(hidden, eps=1e-12)

    def forward(self, x):
        y = self.attention(self.query(x), self.key(x), self.value(x))
        x = self.attention_norm(self.attention_dense(y) + x)
        y = self.output(self.gelu(self.intermediate(x)))
        return self.output_norm(y + x)


class BertBase(nn.Module):
    def __init__(self, layers=12, hidden=768, heads=12, ffn=3072, vocab=30522, positions=512, types=2):
        super().__init__()
        self.word_embeddings = nn.Embedding(vocab, hidden)
        self.token_type_embeddings = nn.Embedding(types, hidden)
        self.position_embeddings = nn.Embedding(positions, hidden)
        self.embedding_norm = nn.LayerNorm(hidden, eps=1e-12)
        self.layers = nn.ModuleList([BertLayer(hidden, heads, ffn) for _ in range(layers)])
        self.pooler = nn.Linear(hidden, hidden)

    def forward(self, input_ids, token_type_ids, position_ids):
        x = self.word_embeddings(input_ids) + self.token_type_embeddings(token_type_ids)
        x = self.embedding_norm(x + self.position_embeddings(position_ids))
        for layer in self.layers:
            x = layer(x)
        pooled = torch.tanh(self.pooler(x[:, 0]))
        return x, pooled


def gelu_tanh(x):
    # GPT-2's gelu (Hendrycks & Gimpel 2016, the tanh approximation), as its released code writes it.
    return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * torch.pow(x, 3.0))))


class Gpt2Block(nn.Module):
    def __init__(self, hidden, heads, ffn):
        super().__init__()
        self.ln_1 = nn.LayerNorm(hidden)
        self.c_attn = nn.Linear(hidden, 3 * hidden)
        self.attention = SelfAttention(heads, causal=True)
        self.c_proj = nn.Linear(hidden, hidden)
        self.ln_2 = nn.LayerNorm(hidden)
        self.c_fc = nn.Linear(hidden, ffn)
        self.mlp_proj = nn.Linear(ffn, hidden)

    def forward(self, x):
        q, k, v = self.c_attn(self.ln_1(x)).split(x.shape[-1], dim=-1)
        x = x + self.c_proj(self.attention(q, k, v))
        return x + self.mlp_proj(gelu_tanh(self.c_fc(self.ln_2(x))))


class Gpt2Small(nn.Module):
    def __init__(self, layers=12, hidden=768, heads=12, ffn=3072, vocab=50257, context=1024):
        super().__init__()
        self.wte = nn.Embedding(vocab, hidden)
        self.wpe = nn.Embedding(context, hidden)
        self.blocks = nn.ModuleList([Gpt2Block(hidden, heads, ffn) for _ in range(layers)])
        self.ln_f = nn.LayerNorm(hidden)

    def forward(self, input_ids, position_ids):
        x = self.wte(input_ids) + self.wpe(position_ids)
        for block in self.blocks:
            x = block(x)
        # The LM head is the token embedding transposed (tied; no parameters of its own).
        return torch.matmul(self.ln_f(x), self.wte.weight.t())
