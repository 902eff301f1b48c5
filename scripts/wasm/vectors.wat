;; The vector half's inner loops in WebAssembly SIMD (src/search/sign-bit-rows.ts, src/search/dots.ts).
;;
;; `hamming`: distances between one query's sign bits and many rows of sign bits, by popcount. Rows are `vecs` 128-bit blocks each,
;; laid out one after another from `rows`; the query is `vecs` blocks at `q`; one u16 distance per
;; row is written from `out`, and counted in the u32 histogram at `hist` (zeroed by the caller).
;; `select` then lists the rows within a distance. `dots`: one query's dot product with many float
;; vectors. Compiled by scripts/wasm/build.mjs into src/search/vectors-wasm.ts.
(module
  (memory (export "memory") 1)
  (func (export "hamming") (param $q i32) (param $rows i32) (param $n i32) (param $vecs i32) (param $out i32) (param $hist i32)
    (local $r i32) (local $v i32) (local $p i32) (local $qp i32) (local $acc v128) (local $d i32) (local $h i32)
    (local.set $p (local.get $rows))
    (block $done
      (loop $row
        (br_if $done (i32.ge_u (local.get $r) (local.get $n)))
        (local.set $acc (v128.const i64x2 0 0))
        (local.set $qp (local.get $q))
        (local.set $v (local.get $vecs))
        (loop $block
          ;; popcount per byte, widened to 16-bit lanes so long rows cannot overflow a lane
          (local.set $acc
            (i16x8.add (local.get $acc)
              (i16x8.extadd_pairwise_i8x16_u
                (i8x16.popcnt (v128.xor (v128.load (local.get $p)) (v128.load (local.get $qp)))))))
          (local.set $p (i32.add (local.get $p) (i32.const 16)))
          (local.set $qp (i32.add (local.get $qp) (i32.const 16)))
          (local.set $v (i32.sub (local.get $v) (i32.const 1)))
          (br_if $block (i32.gt_u (local.get $v) (i32.const 0))))
        (local.set $acc (i32x4.extadd_pairwise_i16x8_u (local.get $acc)))
        (local.set $d
          (i32.add
            (i32.add (i32x4.extract_lane 0 (local.get $acc)) (i32x4.extract_lane 1 (local.get $acc)))
            (i32.add (i32x4.extract_lane 2 (local.get $acc)) (i32x4.extract_lane 3 (local.get $acc)))))
        (i32.store16 (i32.add (local.get $out) (i32.shl (local.get $r) (i32.const 1))) (local.get $d))
        (local.set $h (i32.add (local.get $hist) (i32.shl (local.get $d) (i32.const 2))))
        (i32.store (local.get $h) (i32.add (i32.load (local.get $h)) (i32.const 1)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $row))))

  ;; Writes the index of every row whose distance is at most $cut, as u32 from $dst; returns how many.
  (func (export "select") (param $out i32) (param $n i32) (param $cut i32) (param $dst i32) (result i32)
    (local $r i32) (local $m i32)
    (block $done
      (loop $row
        (br_if $done (i32.ge_u (local.get $r) (local.get $n)))
        (if (i32.le_u (i32.load16_u (i32.add (local.get $out) (i32.shl (local.get $r) (i32.const 1)))) (local.get $cut))
          (then
            (i32.store (i32.add (local.get $dst) (i32.shl (local.get $m) (i32.const 2))) (local.get $r))
            (local.set $m (i32.add (local.get $m) (i32.const 1)))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $row)))
    (local.get $m))

  ;; Dot products of the query at $q with $n vectors from $vecs, each $blocks × 4 floats (padded with
  ;; zeros); one f32 per vector written from $out.
  (func (export "dots") (param $q i32) (param $vecs i32) (param $n i32) (param $blocks i32) (param $out i32)
    (local $r i32) (local $v i32) (local $p i32) (local $qp i32) (local $acc v128)
    (local.set $p (local.get $vecs))
    (block $done
      (loop $row
        (br_if $done (i32.ge_u (local.get $r) (local.get $n)))
        (local.set $acc (v128.const f32x4 0 0 0 0))
        (local.set $qp (local.get $q))
        (local.set $v (local.get $blocks))
        (loop $block
          (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (v128.load (local.get $p)) (v128.load (local.get $qp)))))
          (local.set $p (i32.add (local.get $p) (i32.const 16)))
          (local.set $qp (i32.add (local.get $qp) (i32.const 16)))
          (local.set $v (i32.sub (local.get $v) (i32.const 1)))
          (br_if $block (i32.gt_u (local.get $v) (i32.const 0))))
        (f32.store
          (i32.add (local.get $out) (i32.shl (local.get $r) (i32.const 2)))
          (f32.add
            (f32.add (f32x4.extract_lane 0 (local.get $acc)) (f32x4.extract_lane 1 (local.get $acc)))
            (f32.add (f32x4.extract_lane 2 (local.get $acc)) (f32x4.extract_lane 3 (local.get $acc)))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $row))))
)
