;; Text tools for the sample project's conversation (greentic:component/node@0.6.0). The payload is a
;; CBOR text; every operation logs what it did through greentic:telemetry/logger-api.
;;   stats  -> {words, characters}: words are runs of non-blank characters, characters are Unicode
;;             code points (UTF-8 bytes that do not continue a sequence)
;;   shout  -> {text}: the text in upper case (ASCII and Latin-1 letters; others as they are)
;; Anything but a text fails the node with `invalid_input`; an unknown operation with `unknown_op`.
(module
  (import "greentic:telemetry/logger-api@1.0.0" "log" (func $log (param i32 i32)))
  ;; @prelude
  (data (i32.const 0) "stats")
  (data (i32.const 8) "shout")
  (data (i32.const 16) "words")
  (data (i32.const 24) "characters")
  (data (i32.const 40) "text")
  (data (i32.const 48) "op")
  (data (i32.const 56) "text-tools")
  (data (i32.const 80) "invalid_input")
  (data (i32.const 96) "the input must be a text")
  (data (i32.const 128) "unknown_op")

  (func $is_blank (param $b i32) (result i32)
    (i32.or (i32.eq (local.get $b) (i32.const 0x20)) (i32.lt_u (i32.sub (local.get $b) (i32.const 0x09)) (i32.const 5))))

  (func $count_words (param $ptr i32) (param $len i32) (result i32)
    (local $i i32) (local $count i32) (local $inside i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $len)))
        (if (call $is_blank (i32.load8_u (i32.add (local.get $ptr) (local.get $i))))
          (then (local.set $inside (i32.const 0)))
          (else
            (if (i32.eqz (local.get $inside))
              (then (local.set $count (i32.add (local.get $count) (i32.const 1)))))
            (local.set $inside (i32.const 1))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $count))

  (func $count_characters (param $ptr i32) (param $len i32) (result i32)
    (local $i i32) (local $count i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $len)))
        (if (i32.ne (i32.and (i32.load8_u (i32.add (local.get $ptr) (local.get $i))) (i32.const 0xc0)) (i32.const 0x80))
          (then (local.set $count (i32.add (local.get $count) (i32.const 1)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $count))

  ;; Upper case in place: ASCII a-z, and the Latin-1 letters U+00E0..U+00FE (UTF-8 C3 A0..C3 BE, but
  ;; not the sign U+00F7) to U+00C0..U+00DE. Other bytes and sequences stay as they are.
  (func $upper (param $ptr i32) (param $len i32)
    (local $i i32) (local $b i32) (local $next i32)
    (block $done
      (loop $step
        (br_if $done (i32.ge_u (local.get $i) (local.get $len)))
        (local.set $b (i32.load8_u (i32.add (local.get $ptr) (local.get $i))))
        (if (i32.lt_u (i32.sub (local.get $b) (i32.const 0x61)) (i32.const 26))
          (then (i32.store8 (i32.add (local.get $ptr) (local.get $i)) (i32.sub (local.get $b) (i32.const 32)))))
        (if (i32.and (i32.eq (local.get $b) (i32.const 0xc3)) (i32.lt_u (i32.add (local.get $i) (i32.const 1)) (local.get $len)))
          (then
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (local.set $next (i32.load8_u (i32.add (local.get $ptr) (local.get $i))))
            (if (i32.and
                  (i32.lt_u (i32.sub (local.get $next) (i32.const 0xa0)) (i32.const 31))
                  (i32.ne (local.get $next) (i32.const 0xb7)))
              (then (i32.store8 (i32.add (local.get $ptr) (local.get $i)) (i32.sub (local.get $next) (i32.const 0x20)))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $step))))

  ;; The decimal digits of $n on the heap: (ptr, len).
  (func $decimal (param $n i32) (result i32 i32)
    (local $end i32) (local $p i32)
    (local.set $end (i32.add (call $alloc (i32.const 1) (i32.const 10)) (i32.const 10)))
    (local.set $p (local.get $end))
    (loop $digit
      (local.set $p (i32.sub (local.get $p) (i32.const 1)))
      (i32.store8 (local.get $p) (i32.add (i32.const 0x30) (i32.rem_u (local.get $n) (i32.const 10))))
      (local.set $n (i32.div_u (local.get $n) (i32.const 10)))
      (br_if $digit (local.get $n)))
    (local.get $p)
    (i32.sub (local.get $end) (local.get $p)))

  ;; One field of a list<tuple<string, string>> at $at: key (ptr, len), value (ptr, len).
  (func $field (param $at i32) (param $key i32) (param $key_len i32) (param $value i32) (param $value_len i32)
    (i32.store (local.get $at) (local.get $key))
    (i32.store offset=4 (local.get $at) (local.get $key_len))
    (i32.store offset=8 (local.get $at) (local.get $value))
    (i32.store offset=12 (local.get $at) (local.get $value_len)))

  ;; logger-api.log(span, [op, words, characters], none), the span naming the invocation's tenant,
  ;; flow and step.
  (func $log_counts (param $args i32) (param $op i32) (param $op_len i32) (param $words i32) (param $characters i32)
    (local $fields i32) (local $params i32) (local $text i32) (local $len i32)
    (local.set $fields (call $alloc (i32.const 4) (i32.const 48)))
    (call $field (local.get $fields) (i32.const 48) (i32.const 2) (local.get $op) (local.get $op_len))
    (call $decimal (local.get $words))
    (local.set $len)
    (local.set $text)
    (call $field (i32.add (local.get $fields) (i32.const 16)) (i32.const 16) (i32.const 5) (local.get $text) (local.get $len))
    (call $decimal (local.get $characters))
    (local.set $len)
    (local.set $text)
    (call $field (i32.add (local.get $fields) (i32.const 32)) (i32.const 24) (i32.const 10) (local.get $text) (local.get $len))
    ;; (span-context, fields, option<tenant-ctx>) by pointer: span at 0 (tenant, session-id?, flow-id,
    ;; node-id?, provider, start-ms?, end-ms?), fields at 80, ctx at 88.
    (local.set $params (call $alloc (i32.const 8) (i32.const 96)))
    (memory.fill (local.get $params) (i32.const 0) (i32.const 96))
    (i32.store (local.get $params) (i32.load offset=8 (local.get $args)))
    (i32.store offset=4 (local.get $params) (i32.load offset=12 (local.get $args)))
    (i32.store offset=20 (local.get $params) (i32.load offset=96 (local.get $args)))
    (i32.store offset=24 (local.get $params) (i32.load offset=100 (local.get $args)))
    (i32.store8 offset=28 (local.get $params) (i32.const 1))
    (i32.store offset=32 (local.get $params) (i32.load offset=104 (local.get $args)))
    (i32.store offset=36 (local.get $params) (i32.load offset=108 (local.get $args)))
    (i32.store offset=40 (local.get $params) (i32.const 56))
    (i32.store offset=44 (local.get $params) (i32.const 10))
    (i32.store offset=80 (local.get $params) (local.get $fields))
    (i32.store offset=84 (local.get $params) (i32.const 3))
    ;; The op-ack result goes to the return area; a failed log is not worth failing the node for.
    (call $log (local.get $params) (i32.const 1200)))

  (func (export "greentic:component/node@0.6.0#invoke") (param $args i32) (result i32)
    (local $text i32) (local $len i32) (local $words i32) (local $characters i32)
    (if (i32.eqz (call $payload_is_text (local.get $args)))
      (then (return (call $fail (i32.const 80) (i32.const 13) (i32.const 96) (i32.const 24) (i32.const 0)))))
    (call $payload_text (local.get $args))
    (local.set $len)
    (local.set $text)
    (local.set $words (call $count_words (local.get $text) (local.get $len)))
    (local.set $characters (call $count_characters (local.get $text) (local.get $len)))
    (if (call $op_is (local.get $args) (i32.const 0) (i32.const 5))
      (then
        (call $log_counts (local.get $args) (i32.const 0) (i32.const 5) (local.get $words) (local.get $characters))
        (call $out_begin)
        (call $out_byte (i32.const 0xa2))
        (call $out_text (i32.const 16) (i32.const 5))
        (call $out_uint (local.get $words))
        (call $out_text (i32.const 24) (i32.const 10))
        (call $out_uint (local.get $characters))
        (return (call $out_ok))))
    (if (call $op_is (local.get $args) (i32.const 8) (i32.const 5))
      (then
        (call $log_counts (local.get $args) (i32.const 8) (i32.const 5) (local.get $words) (local.get $characters))
        (call $out_begin)
        (call $out_byte (i32.const 0xa1))
        (call $out_text (i32.const 40) (i32.const 4))
        (call $out_text (local.get $text) (local.get $len))
        (call $upper (i32.sub (global.get $heap) (local.get $len)) (local.get $len))
        (return (call $out_ok))))
    (call $fail (i32.const 128) (i32.const 10) (i32.load (local.get $args)) (i32.load offset=4 (local.get $args)) (i32.const 0)))
  ;; @node06
)
