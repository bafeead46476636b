"""A character-level language model: embedding, a recurrent core, a linear read-out.

The recurrent core is an LSTM (Hochreiter and Schmidhuber, 1997) by default; ``cell="gru"``
(Cho et al., 2014) and ``cell="rnn"`` (tanh Elman network) make the comparison. The hidden
state is the model's whole memory of the text so far: a fixed-size vector, whatever the
length of the history, which is the bottleneck the gates try to manage.
"""

from __future__ import annotations

import torch
from torch import nn

State = torch.Tensor | tuple[torch.Tensor, torch.Tensor]
_CELLS = {"lstm": nn.LSTM, "gru": nn.GRU, "rnn": nn.RNN}


class CharLM(nn.Module):
    def __init__(
        self,
        vocab_size: int,
        hidden_size: int = 256,
        cell: str = "lstm",
        num_layers: int = 1,
        embed_size: int = 64,
        dropout: float = 0.1,
    ) -> None:
        super().__init__()
        if cell not in _CELLS:
            raise ValueError(f"cell must be one of {', '.join(_CELLS)}, not {cell!r}")
        self.cell, self.hidden_size, self.num_layers = cell, hidden_size, num_layers
        self.embed = nn.Embedding(vocab_size, embed_size)
        self.rnn = _CELLS[cell](embed_size, hidden_size, num_layers, batch_first=True,
                                dropout=dropout if num_layers > 1 else 0.0)
        self.drop = nn.Dropout(dropout)
        self.out = nn.Linear(hidden_size, vocab_size)

    def init_state(self, batch_size: int) -> State:
        """Zeros: the state at the start of a text."""
        h = torch.zeros(self.num_layers, batch_size, self.hidden_size)  # (L, B, H)
        return (h, h.clone()) if self.cell == "lstm" else h

    def forward(self, x: torch.Tensor, state: State | None = None) -> tuple[torch.Tensor, State]:
        # x: (B, T) character ids -> logits (B, T, V) and the state after the last step
        if state is None:
            state = self.init_state(x.shape[0])
        h, state = self.rnn(self.embed(x), state)  # h: (B, T, H)
        return self.out(self.drop(h)), state


def detach_state(state: State) -> State:
    """Same values, no history: gradients stop at the window boundary (truncated BPTT)."""
    if isinstance(state, tuple):
        return tuple(s.detach() for s in state)  # type: ignore[return-value]
    return state.detach()
