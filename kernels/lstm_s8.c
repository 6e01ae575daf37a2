/* UNIDIRECTIONAL_SEQUENCE_LSTM int8 with int16 cell state, as TF Lite Micro's
 * integer LSTM (lstm_eval.h, lstm_eval.cc). One step, for unit j of a batch row:
 *   gate_g = act_g(sat16(fc16(x, W_g, b_g) + fc16(h, R_g)))      g = i, f, c, o
 *   c'     = clip(sat16(mul16(f, c) + mul16(i, gate_c)))
 *   h'     = sat8(mul(tanh(c'), o) + hidden zero point)
 * where fc16 requantises an int32 dot product to int16 Q3.12, act is the int16
 * sigmoid (tanh for the cell gate, the only activation a model can ask there
 * that TF Lite Micro runs) giving Q0.15,
 * and each mul requantises an int16 x int16 product. TF Lite Micro runs each
 * stage over the whole state vector through four int16 scratch buffers; every
 * stage is element-wise past the two dot products, so one unit at a time gives
 * the same values. The new hidden values go straight to the step's output row
 * (the old ones are still needed by the other units' recurrent products) and
 * become the hidden state once the row is done: no scratch. */
#include <string.h>

#include "mcunet_fixed_point.h"
#include "mcunet_kernels.h"

/* TF Lite's int16 logistic: the input times 3 is |x| in units of 1/(24 * 2^9),
 * so bits 9 and up index the table of sigmoid(k / 24) (0.16 fixed point) and
 * the low 9 bits interpolate; the result is Q0.15. */
static int16_t mcunet_sigmoid16(int32_t x, const uint16_t* table) {
  const int32_t v = x * 3;
  const uint32_t a = (uint32_t)(v < 0 ? -v : v);
  const uint32_t k = a >> 9;
  uint32_t r;
  if (k >= 255) {
    r = 0x7FFFu << 10;
  } else {
    const uint32_t lo = table[k], hi = table[k + 1];
    r = (lo << 9) + (a & 0x1FFu) * (hi - lo);
  }
  r = v >= 0 ? r + (1u << 9) : (1u << 25) - r + (1u << 9) - 1u;
  return (int16_t)(r >> 10);
}

/* TF Lite's int16 tanh through the same table (tanh(x) = 2 sigmoid(2x) - 1):
 * (x * multiplier + round) >> shift is |x| in units of 1/(24 * 2^8). */
static int16_t mcunet_tanh16(int32_t x, int32_t multiplier, int32_t shift, const uint16_t* table) {
  const int32_t round = shift > 0 ? (int32_t)1 << (shift - 1) : 0;
  const int32_t v = (x * multiplier + round) >> shift;
  const uint32_t a = (uint32_t)(v < 0 ? -v : v);
  const uint32_t k = a >> 8;
  int32_t r;
  if (k >= 255) {
    r = 0xFFFF << 8;
  } else {
    const uint32_t lo = table[k], hi = table[k + 1];
    r = (int32_t)((lo << 8) + (a & 0xFFu) * (hi - lo));
  }
  r = v >= 0 ? r - (1 << 23) + (1 << 7) : -r + (1 << 23) + (1 << 7) - 1;
  return (int16_t)(r >> 8);
}

static int32_t mcunet_sat16(int32_t x) { return mcunet_clamp_i32(x, INT16_MIN, INT16_MAX); }

/* One gate of unit j: both products in Q3.12, their saturated sum activated. */
static int16_t mcunet_lstm_gate(const mcunet_lstm_params* p, int g, const int8_t* x,
                                const int8_t* h, int32_t j, const int8_t* const wx[4],
                                const int8_t* const wh[4], const int32_t* const bias[4]) {
  const int8_t* w = wx[g] + (int64_t)j * p->input_size;
  const int8_t* r = wh[g] + (int64_t)j * p->units;
  int32_t acc = 0, i;
  for (i = 0; i < p->input_size; ++i) acc += (int32_t)w[i] * ((int32_t)x[i] + p->input_offset);
  if (bias[g]) acc += bias[g][j];
  const int32_t from_input =
      mcunet_sat16(mcunet_requantize(acc, p->input_multiplier[g], p->input_shift[g]));
  acc = 0;
  for (i = 0; i < p->units; ++i) acc += (int32_t)r[i] * ((int32_t)h[i] + p->hidden_offset);
  const int32_t from_hidden =
      mcunet_sat16(mcunet_requantize(acc, p->recurrent_multiplier[g], p->recurrent_shift[g]));
  const int32_t sum = mcunet_sat16(from_input + from_hidden);
  if (g == 2) return mcunet_tanh16(sum, 3, 0, p->sigmoid_table);
  return mcunet_sigmoid16(sum, p->sigmoid_table);
}

int mcunet_lstm_s8(const mcunet_lstm_params* p, const int8_t* input,
                   const int8_t* const input_weights[4], const int8_t* const recurrent_weights[4],
                   const int32_t* const biases[4], int8_t* hidden, int16_t* cell, int8_t* output) {
  int32_t b, t, j;
  if (p->units <= 0 || p->input_size <= 0 || !p->sigmoid_table) return MCUNET_BAD_PARAMS;
  for (b = 0; b < p->batches; ++b) {
    int8_t* h = hidden + (int64_t)b * p->units;
    int16_t* c = cell + (int64_t)b * p->units;
    for (t = 0; t < p->time_steps; ++t) {
      const int64_t row =
          p->time_major ? (int64_t)t * p->batches + b : (int64_t)b * p->time_steps + t;
      const int8_t* x = input + row * p->input_size;
      int8_t* out = output + row * p->units;
      for (j = 0; j < p->units; ++j) {
        const int32_t i_gate =
            mcunet_lstm_gate(p, 0, x, h, j, input_weights, recurrent_weights, biases);
        const int32_t f_gate =
            mcunet_lstm_gate(p, 1, x, h, j, input_weights, recurrent_weights, biases);
        const int32_t c_gate =
            mcunet_lstm_gate(p, 2, x, h, j, input_weights, recurrent_weights, biases);
        const int32_t o_gate =
            mcunet_lstm_gate(p, 3, x, h, j, input_weights, recurrent_weights, biases);
        const int32_t kept =
            mcunet_sat16(mcunet_requantize(f_gate * c[j], p->forget_multiplier, p->forget_shift));
        const int32_t added =
            mcunet_sat16(mcunet_requantize(i_gate * c_gate, p->update_multiplier, p->update_shift));
        int32_t next = mcunet_sat16(kept + added);
        if (p->cell_clip >= 0) next = mcunet_clamp_i32(next, -p->cell_clip, p->cell_clip);
        c[j] = (int16_t)next;
        const int32_t squashed =
            mcunet_tanh16(next, p->cell_tanh_multiplier, p->cell_tanh_shift, p->sigmoid_table);
        out[j] = (int8_t)mcunet_clamp_i32(
            mcunet_requantize(squashed * o_gate, p->hidden_multiplier, p->hidden_shift) +
                p->hidden_zero_point,
            INT8_MIN, INT8_MAX);
      }
      memcpy(h, out, (size_t)p->units);
    }
  }
  return MCUNET_OK;
}
