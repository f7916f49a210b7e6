/*
 * pcapcount.c: the baseline for `sknockd -r` throughput: a bare
 * pcap_loop that only counts.  Prints "packets N seconds S pps P".
 */
#include <stdio.h>
#include <time.h>

#include <pcap/pcap.h>

static void
count(u_char *user, const struct pcap_pkthdr *h, const u_char *bytes)
{
	(void)h;
	(void)bytes;
	(*(unsigned long *)(void *)user)++;
}

int
main(int argc, char **argv)
{
	char err[PCAP_ERRBUF_SIZE];
	struct timespec t0, t1;
	unsigned long n = 0;
	double s;
	pcap_t *p;

	if (argc != 2) {
		fprintf(stderr, "usage: pcapcount FILE.pcap\n");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	p = pcap_open_offline(argv[1], err);
	if (p == NULL) {
		fprintf(stderr, "pcapcount: %s\n", err);
		return 1;
	}
	if (pcap_loop(p, -1, count, (u_char *)&n) == -1) {
		fprintf(stderr, "pcapcount: %s\n", pcap_geterr(p));
		return 1;
	}
	pcap_close(p);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("packets %lu seconds %.3f pps %.0f\n", n, s, (double)n / s);
	return 0;
}
