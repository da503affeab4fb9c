"""The rules a JSON body meets before any route reads it."""
from __future__ import annotations

import pytest

from domain.json_input import MAX_DEPTH, TooDeep, UnsafeJson, load, nesting_depth


def test_depth_counts_arrays_and_objects_but_not_brackets_inside_strings():
    assert nesting_depth('{"a": [[1], {"b": "[[[[{{{{"}]}') == 3
    assert nesting_depth('"\\"[[["') == 0


def test_json_nested_beyond_the_limit_is_refused_before_parsing():
    load(("[" * MAX_DEPTH + "]" * MAX_DEPTH).encode())
    with pytest.raises(TooDeep):
        load(("[" * 5000 + "]" * 5000).encode())
    with pytest.raises(TooDeep):
        load(b'{"a":' * 100 + b"1" + b"}" * 100)


@pytest.mark.parametrize("body", [b'{"name": "\\ud800"}', b'{"\\udfff": 1}', b'["a\\u0000b"]',
                                  b'{"a": ["x", {"b": "\\ud83d"}]}', b'["\x00"]'])
def test_nul_and_lone_surrogates_are_refused_anywhere(body):
    with pytest.raises(UnsafeJson):
        load(body)


def test_a_surrogate_pair_is_one_character_and_welcome():
    assert load(b'{"note": "\\ud83c\\udf36 \xe5\xb0\x91\xe8\xbe\xa3"}') == {"note": "🌶 少辣"}


@pytest.mark.parametrize("body", [b"[NaN]", b"[Infinity]", b"[-Infinity]", b"\xff\xfe", b"[1,"])
def test_not_json_or_not_utf8_is_refused(body):
    with pytest.raises(UnsafeJson):
        load(body)
