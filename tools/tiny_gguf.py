#!/usr/bin/env python3
"""Writes a tiny llama-architecture GGUF model for the tests that talk to real llama.cpp
servers (tools/llama-test-servers.sh). Nothing is downloaded: the weights are generated here.

The model: 2 layers, 64-wide, a byte-fallback SentencePiece-style vocabulary (the control
tokens of ChatML and the 256 byte tokens, nothing else) and a ChatML chat template. Its
attention and feed-forward weights are small random numbers (seeded), so each layer adds
next to nothing to the residual stream and the next token depends on the last one only. The
embedding and output matrices carry a hand-set bigram preference on top of their random part,
so that greedy decoding under a JSON grammar closes every string after one character and ends
the answer: `{"translations":[{"id":1,"text":"x"}]}` for a batch of one. Without a grammar
the model answers bytes that are not JSON, as a random model should.

usage: tiny_gguf.py OUT.gguf
"""

import sys

import gguf
import numpy as np

EMBED = 64
HEADS = 4
FEED_FORWARD = 128
LAYERS = 2
CONTEXT = 8192
SEED = 19

SPECIALS = ["<unk>", "<s>", "</s>", "<|im_start|>", "<|im_end|>"]
UNK, BOS, EOS_PLAIN, IM_START, IM_END = range(len(SPECIALS))
FIRST_BYTE = len(SPECIALS)
VOCAB = FIRST_BYTE + 256

CHATML = (
    "{% for message in messages %}"
    "{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}"
)


def byte(character):
    return FIRST_BYTE + ord(character)


WHITESPACE = [byte(" "), byte("\n"), byte("\t"), byte("\r")]

# last token -> {next token: logit}; a grammar leaves one or two of these open at each step
BIGRAMS = {
    byte("\n"): {byte("{"): 10},
    byte("{"): {byte('"'): 10},
    byte('"'): {byte("x"): 10, byte(":"): 6, byte("}"): 5, byte(","): 4, byte('"'): -10},
    byte("x"): {byte('"'): 10},
    byte(":"): {byte("["): 10, byte("1"): 10, byte('"'): 10},
    byte("1"): {byte(","): 10, byte("}"): 8},
    byte(","): {byte('"'): 10, byte("{"): 10},
    byte("}"): {byte("]"): 10, IM_END: 10, byte(","): -5},
    byte("]"): {byte("}"): 10, byte(","): -5},
    byte("["): {byte("{"): 10, byte("]"): -10},
}


def main(path):
    rng = np.random.default_rng(SEED)

    def small(*shape):
        return (rng.standard_normal(shape) * 0.02).astype(np.float32)

    # one feature dimension per context token; after the RMS norm a lone 1.0 in a 64-wide
    # vector reads about sqrt(64) = 8
    features = {token: index for index, token in enumerate(BIGRAMS)}
    assert len(features) <= EMBED
    embedding = small(VOCAB, EMBED)
    output = small(VOCAB, EMBED)
    for token, dimension in features.items():
        embedding[token, dimension] = 1.0
        for whitespace in WHITESPACE:
            output[whitespace, dimension] = -10 / 8
        for following, logit in BIGRAMS[token].items():
            output[following, dimension] = logit / 8

    writer = gguf.GGUFWriter(path, "llama")
    writer.add_name("selaras-tiny-random")
    writer.add_context_length(CONTEXT)
    writer.add_embedding_length(EMBED)
    writer.add_block_count(LAYERS)
    writer.add_feed_forward_length(FEED_FORWARD)
    writer.add_head_count(HEADS)
    writer.add_head_count_kv(HEADS)
    writer.add_rope_dimension_count(EMBED // HEADS)
    writer.add_layer_norm_rms_eps(1e-5)
    writer.add_file_type(gguf.LlamaFileType.ALL_F32)
    writer.add_vocab_size(VOCAB)

    tokens = SPECIALS + [f"<0x{value:02X}>" for value in range(256)]
    types = [
        gguf.TokenType.UNKNOWN,
        gguf.TokenType.CONTROL,
        gguf.TokenType.CONTROL,
        gguf.TokenType.CONTROL,
        gguf.TokenType.CONTROL,
    ] + [gguf.TokenType.BYTE] * 256
    writer.add_tokenizer_model("llama")
    writer.add_token_list(tokens)
    writer.add_token_scores([0.0] * VOCAB)
    writer.add_token_types(types)
    writer.add_unk_token_id(UNK)
    writer.add_bos_token_id(BOS)
    writer.add_eos_token_id(IM_END)
    writer.add_add_bos_token(False)
    writer.add_add_eos_token(False)
    # no "▁" before the first word: llama-server feeds the generation prompt
    # ("<|im_start|>assistant\n") through the JSON grammar, which has no room for it
    writer.add_add_space_prefix(False)
    writer.add_chat_template(CHATML)

    writer.add_tensor("token_embd.weight", embedding)
    writer.add_tensor("output_norm.weight", np.ones(EMBED, dtype=np.float32))
    writer.add_tensor("output.weight", output)
    for layer in range(LAYERS):
        prefix = f"blk.{layer}."
        writer.add_tensor(prefix + "attn_norm.weight", np.ones(EMBED, dtype=np.float32))
        for name in ["attn_q", "attn_k", "attn_v", "attn_output"]:
            writer.add_tensor(prefix + name + ".weight", small(EMBED, EMBED))
        writer.add_tensor(prefix + "ffn_norm.weight", np.ones(EMBED, dtype=np.float32))
        writer.add_tensor(prefix + "ffn_gate.weight", small(FEED_FORWARD, EMBED))
        writer.add_tensor(prefix + "ffn_up.weight", small(FEED_FORWARD, EMBED))
        writer.add_tensor(prefix + "ffn_down.weight", small(EMBED, FEED_FORWARD))

    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
