/* pmsg.c: encode and strictly decode the parent/child messages. */
#include "pmsg.h"

#include <string.h>

#include "bytes.h"

/* Candidate body. */
#define CAND_SRC_OFF		4
#define CAND_DST_OFF		20
#define CAND_DOOR_OFF		36
#define CAND_FLAGS_OFF		37
#define CAND_LEN_OFF		38
#define CAND_PAYLOAD_OFF	40
#define CAND_WIRE_OFF		(CAND_PAYLOAD_OFF + PMSG_PAYLOAD_MAX)
#define CAND_SEEN_OFF		(CAND_WIRE_OFF + 8)
#define CAND_END		(CAND_SEEN_OFF + 8)
#define CAND_F_COMPLETE		0x01
#define CAND_F_TRUNCATED	0x02

/* Heartbeat body: PMSG_BEAT_N big-endian u64 counters in struct order. */
#define BEAT_N		(sizeof(struct pmsg_beat) / sizeof(uint64_t))
#define BEAT_END	(PMSG_BODY_OFF + BEAT_N * 8)

/* Interface body. */
#define IF_IDX_OFF	4
#define IF_STATE_OFF	5
#define IF_DLT_OFF	8
#define IF_TEXT_OFF	12
#define IF_END		(IF_TEXT_OFF + PMSG_TEXT_MAX)

_Static_assert(sizeof(struct pmsg_beat) == 19 * sizeof(uint64_t),
    "heartbeat: u64 counters only, no padding");
_Static_assert(CAND_END <= PMSG_LEN, "candidate fits");
_Static_assert(BEAT_END <= PMSG_LEN, "heartbeat fits");
_Static_assert(IF_END <= PMSG_LEN, "iface fits");
_Static_assert(SK_MAX_DOORS <= 256 && SK_MAX_IFACES <= 256, "u8 indices");

static const char *const errs[] = {
	[PMSG_OK] = "ok",
	[PMSG_E_LEN] = "not exactly one message long",
	[PMSG_E_TYPE] = "unknown message type",
	[PMSG_E_RESERVED] = "a reserved or padding byte is not zero",
	[PMSG_E_RANGE] = ("a door, flag, interface, state or link type out "
	    "of range"),
	[PMSG_E_TEXT] = "text not NUL-terminated printable ASCII",
};

const char *
pmsg_strerror(enum pmsg_err e)
{
	if ((size_t)e >= sizeof errs / sizeof errs[0])
		return "unknown error";
	return errs[e];
}

static bool
all_zero(const uint8_t *p, size_t len)
{
	uint8_t acc = 0;

	for (size_t i = 0; i < len; i++)
		acc |= p[i];
	return acc == 0;
}

static size_t
cand_copied(uint16_t payload_len)
{
	return payload_len < PMSG_PAYLOAD_MAX ? payload_len : PMSG_PAYLOAD_MAX;
}

static enum pmsg_err
cand_check(const struct pmsg_cand *c)
{
	size_t n = cand_copied(c->payload_len);

	if (c->door >= SK_MAX_DOORS)
		return PMSG_E_RANGE;
	if (!all_zero(c->payload + n, PMSG_PAYLOAD_MAX - n))
		return PMSG_E_RESERVED;
	return PMSG_OK;
}

/* A forget names a source and a door, nothing else. */
static enum pmsg_err
forget_check(const struct pmsg_cand *c)
{
	static const struct sk_addr none;

	if (c->complete || c->truncated || c->payload_len != 0 ||
	    c->wire_us != 0 || c->seen_us != 0)
		return PMSG_E_RANGE;
	if (!addr_eq(&c->dst, &none))
		return PMSG_E_RESERVED;
	return cand_check(c);
}

static enum pmsg_err
text_check(const char *text)
{
	size_t n = strnlen(text, PMSG_TEXT_MAX);

	if (n == PMSG_TEXT_MAX)
		return PMSG_E_TEXT;
	for (size_t i = 0; i < n; i++)
		if (text[i] < 0x20 || text[i] > 0x7e)
			return PMSG_E_TEXT;
	if (!all_zero((const uint8_t *)text + n, PMSG_TEXT_MAX - n))
		return PMSG_E_RESERVED;
	return PMSG_OK;
}

static enum pmsg_err
iface_check(const struct pmsg_iface *f)
{
	if (f->idx >= SK_MAX_IFACES)
		return PMSG_E_RANGE;
	if (f->state == PMSG_IF_UP ? f->dlt < 0 :
	    f->state != PMSG_IF_DOWN || f->dlt != 0)
		return PMSG_E_RANGE;
	return text_check(f->text);
}

static void
cand_put(const struct pmsg_cand *c, uint8_t *out)
{
	memcpy(out + CAND_SRC_OFF, c->src.b, 16);
	memcpy(out + CAND_DST_OFF, c->dst.b, 16);
	out[CAND_DOOR_OFF] = c->door;
	out[CAND_FLAGS_OFF] = (uint8_t)((c->complete ? CAND_F_COMPLETE : 0) |
	    (c->truncated ? CAND_F_TRUNCATED : 0));
	store_be16(out + CAND_LEN_OFF, c->payload_len);
	memcpy(out + CAND_PAYLOAD_OFF, c->payload, PMSG_PAYLOAD_MAX);
	store_be64(out + CAND_WIRE_OFF, c->wire_us);
	store_be64(out + CAND_SEEN_OFF, c->seen_us);
}

static void
beat_put(const struct pmsg_beat *b, uint8_t *out)
{
	uint64_t v[BEAT_N];

	memcpy(v, b, sizeof v);
	for (size_t i = 0; i < BEAT_N; i++)
		store_be64(out + PMSG_BODY_OFF + i * 8, v[i]);
}

static void
iface_put(const struct pmsg_iface *f, uint8_t *out)
{
	out[IF_IDX_OFF] = f->idx;
	out[IF_STATE_OFF] = f->state;
	store_be32(out + IF_DLT_OFF, (uint32_t)f->dlt);
	memcpy(out + IF_TEXT_OFF, f->text, PMSG_TEXT_MAX);
}

enum pmsg_err
pmsg_encode(const struct pmsg *m, uint8_t out[static PMSG_LEN])
{
	enum pmsg_err e;

	memset(out, 0, PMSG_LEN);
	switch (m->type) {
	case PMSG_CAND:
		if ((e = cand_check(&m->u.cand)) != PMSG_OK)
			return e;
		cand_put(&m->u.cand, out);
		break;
	case PMSG_BEAT:
		beat_put(&m->u.beat, out);
		break;
	case PMSG_IFACE:
		if ((e = iface_check(&m->u.iface)) != PMSG_OK)
			return e;
		iface_put(&m->u.iface, out);
		break;
	case PMSG_FORGET:
		if ((e = forget_check(&m->u.cand)) != PMSG_OK)
			return e;
		cand_put(&m->u.cand, out);
		break;
	default:
		return PMSG_E_TYPE;
	}
	out[PMSG_TYPE_OFF] = (uint8_t)m->type;
	return PMSG_OK;
}

static enum pmsg_err
cand_get(const uint8_t *buf, struct pmsg_cand *c)
{
	uint8_t flags = buf[CAND_FLAGS_OFF];

	if (flags & ~(CAND_F_COMPLETE | CAND_F_TRUNCATED))
		return PMSG_E_RANGE;
	if (!all_zero(buf + CAND_END, PMSG_LEN - CAND_END))
		return PMSG_E_RESERVED;
	memcpy(c->src.b, buf + CAND_SRC_OFF, 16);
	memcpy(c->dst.b, buf + CAND_DST_OFF, 16);
	c->door = buf[CAND_DOOR_OFF];
	c->complete = (flags & CAND_F_COMPLETE) != 0;
	c->truncated = (flags & CAND_F_TRUNCATED) != 0;
	c->payload_len = load_be16(buf + CAND_LEN_OFF);
	memcpy(c->payload, buf + CAND_PAYLOAD_OFF, PMSG_PAYLOAD_MAX);
	c->wire_us = load_be64(buf + CAND_WIRE_OFF);
	c->seen_us = load_be64(buf + CAND_SEEN_OFF);
	return cand_check(c);
}

static enum pmsg_err
beat_get(const uint8_t *buf, struct pmsg_beat *b)
{
	uint64_t v[BEAT_N];

	if (!all_zero(buf + BEAT_END, PMSG_LEN - BEAT_END))
		return PMSG_E_RESERVED;
	for (size_t i = 0; i < BEAT_N; i++)
		v[i] = load_be64(buf + PMSG_BODY_OFF + i * 8);
	memcpy(b, v, sizeof v);
	return PMSG_OK;
}

static enum pmsg_err
iface_get(const uint8_t *buf, struct pmsg_iface *f)
{
	if (buf[IF_STATE_OFF + 1] != 0 || buf[IF_STATE_OFF + 2] != 0 ||
	    !all_zero(buf + IF_END, PMSG_LEN - IF_END))
		return PMSG_E_RESERVED;
	f->idx = buf[IF_IDX_OFF];
	f->state = buf[IF_STATE_OFF];
	f->dlt = (int32_t)load_be32(buf + IF_DLT_OFF);
	memcpy(f->text, buf + IF_TEXT_OFF, PMSG_TEXT_MAX);
	return iface_check(f);
}

enum pmsg_err
pmsg_decode(const uint8_t *buf, size_t buf_len, struct pmsg *out)
{
	enum pmsg_err e;

	memset(out, 0, sizeof *out);
	if (buf_len != PMSG_LEN)
		return PMSG_E_LEN;
	if (!all_zero(buf + PMSG_TYPE_OFF + 1, PMSG_BODY_OFF - 1))
		return PMSG_E_RESERVED;
	switch (buf[PMSG_TYPE_OFF]) {
	case PMSG_CAND:
		e = cand_get(buf, &out->u.cand);
		break;
	case PMSG_BEAT:
		e = beat_get(buf, &out->u.beat);
		break;
	case PMSG_IFACE:
		e = iface_get(buf, &out->u.iface);
		break;
	case PMSG_FORGET:
		e = cand_get(buf, &out->u.cand);
		if (e == PMSG_OK)
			e = forget_check(&out->u.cand);
		break;
	default:
		e = PMSG_E_TYPE;
		break;
	}
	if (e != PMSG_OK) {
		memset(out, 0, sizeof *out);
		return e;
	}
	out->type = (enum pmsg_type)buf[PMSG_TYPE_OFF];
	return PMSG_OK;
}
