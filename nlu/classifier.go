package nlu

import (
	"math"
	"math/rand/v2"
	"slices"
)

// Training settings, chosen on the CLINC150 validation split (corpus_test.go)
// against the training time of bench_test.go. Plain SGD with a decaying
// step matched AdaGrad's accuracy there at half the memory traffic. A
// fixed seed makes two trainings of a bot identical.
const (
	trainEpochs = 3
	minVisits   = 30000 // small bots get more epochs, up to maxEpochs, to see this many examples
	maxEpochs   = 100

	fullSoftmaxClasses = 32      // up to this many classes every update scores them all
	fullSoftmaxWork    = 1 << 21 // so does a bot with at most this many examples × classes (few-shot gains 1–2 points)
	hardNegatives      = 12      // classes most like an example's own, scored in each update
	randomNegatives    = 4       // further random classes per update
	easyProb           = 0.95    // an example this sure of its class is not visited again
	learningRate       = 4.0     // SGD step of the first epoch; epoch e uses it / (1+e)
	l2Penalty          = 1e-5    // weight decay on the weights an example touches
	sparseUpdateMin    = 0.003   // classes below this probability are left alone in an update
	maxWeights         = 1 << 22 // vocabulary × classes budget (16 MiB of float32)
	shuffleSeed        = 0x5eed
)

// example is one training utterance as sorted feature hashes.
type example struct {
	feats     []uint64
	class     int
	utterance int // the sample utterance it comes from (one gives several with slots)
}

// classifier is a multinomial logistic regression over hashed binary
// features (normalised to unit length), plus an inverted index of the
// training utterances that the confidence check compares inputs with.
type classifier struct {
	k      int
	full   bool             // every update scores every class
	ids    map[uint64]int32 // every training feature → feature id, numbered in hash order
	idf    []float32        // per feature id: inverse document frequency
	row    []int32          // per feature id: weight row, or -1 when pruned from the model
	nrows  int
	w      []float32 // nrows*k, row-major by feature
	b      []float32 // per-class bias
	unseen float32   // IDF weight of a feature never seen in training

	// With binary features weighted by IDF, the dot product of two
	// utterances is the sum of idf² over the features they share, so the
	// index only records which utterances hold each feature.
	postStart []int32     // per feature id: its first posting; one extra entry at the end
	postings  []uint32    // class<<16 | utterance number in the class; ascending per feature
	norms     [][]float32 // per class, per utterance: IDF-weighted length

	// How similar sample utterances are to the other samples of their
	// intent (leave-one-out): mean and standard deviation of the
	// similarities in-scope inputs reach with this bot; zero when too few
	// intents have two samples.
	inScopeMean, inScopeSD float64
}

// indexLimit bounds classes and utterances per class in the similarity
// index (16 bits each; Lex allows 1,000 intents of 1,500 utterances).
const indexLimit = 1 << 16

// trainClassifier fits the model with SGD on the softmax loss, scoring
// each example against a sample of classes (see candidates). The examples
// must come grouped by class in ascending order, as Train makes them.
func trainClassifier(exs []example, k int) *classifier {
	c := &classifier{k: k, full: k <= fullSoftmaxClasses || len(exs)*k <= fullSoftmaxWork}
	df := map[uint64]int32{}
	for _, ex := range exs {
		for _, f := range ex.feats {
			df[f]++
		}
	}
	// Feature ids follow hash order, so an example's sorted hashes give
	// sorted ids and nothing depends on map iteration order.
	all := make([]uint64, 0, len(df))
	for f := range df {
		all = append(all, f)
	}
	slices.Sort(all)
	n := float64(len(exs))
	c.ids = make(map[uint64]int32, len(all))
	c.idf = make([]float32, len(all))
	counts := make([]int32, len(all))
	for i, f := range all {
		c.ids[f] = int32(i)
		counts[i] = df[f]
		c.idf[i] = float32(math.Log((n+1)/float64(counts[i]+1)) + 1)
	}
	c.unseen = float32(math.Log(n+1) + 1)
	fids := make([][]int32, len(exs))
	parallel(len(exs), func(i int) {
		ids := make([]int32, len(exs[i].feats))
		for j, f := range exs[i].feats {
			ids[j] = c.ids[f]
		}
		fids[i] = ids
	})
	// The similarity index and the in-scope similarities are computed
	// while the model trains.
	indexDone := make(chan struct{})
	go func() {
		defer close(indexDone)
		c.buildIndex(exs, fids)
		c.inScopeMean, c.inScopeSD = meanSD(c.leaveOneOut(exs, fids))
	}()
	defer func() { <-indexDone }()

	// The model keeps the features seen in at least minDF utterances, the
	// smallest minDF that fits the weight budget.
	var hist []int // hist[d]: features seen in exactly d utterances
	for _, d := range counts {
		for int(d) >= len(hist) {
			hist = append(hist, 0)
		}
		hist[d]++
	}
	minDF, kept := 1, len(all)
	for minDF < len(hist) && kept*k > maxWeights {
		kept -= hist[minDF]
		minDF++
	}
	c.row = make([]int32, len(all))
	for i, d := range counts {
		c.row[i] = -1
		if int(d) >= minDF {
			c.row[i] = int32(c.nrows)
			c.nrows++
		}
	}
	c.w = make([]float32, c.nrows*k)
	c.b = make([]float32, k)
	if len(exs) == 0 || k == 0 {
		return c
	}

	rows := make([][]int32, len(exs))
	for i, ids := range fids {
		rows[i] = c.rows(ids, make([]int32, 0, len(ids)))
	}
	confusers := c.confusers(exs, rows)
	order := make([]int, len(exs))
	for i := range order {
		order[i] = i
	}
	rng := rand.New(rand.NewPCG(shuffleSeed, shuffleSeed))
	mark := make([]int, k) // example stamp per class, to build candidate sets without a map
	for i := range mark {
		mark[i] = -1
	}
	cands := make([]int, 0, k)
	scores := make([]float32, k)
	probs := make([]float64, k)
	stamp := 0
	easy := make([]bool, len(exs))
	epochs := trainEpochs
	if len(exs)*epochs < minVisits {
		// A small bot trains for longer: it costs nothing and fits better.
		epochs = min(maxEpochs, (minVisits+len(exs)-1)/len(exs))
	}
	for epoch := 0; epoch < epochs; epoch++ {
		lr := float32(learningRate / float64(1+epoch))
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for _, idx := range order {
			if easy[idx] {
				continue
			}
			stamp++
			r := rows[idx]
			x := scaleOf(len(r))
			y := exs[idx].class
			cands = c.candidates(cands[:0], y, confusers, rng, mark, stamp)
			sc := scores[:len(cands)]
			clear(sc)
			for _, row := range r {
				base := int(row) * k
				for j, cls := range cands {
					sc[j] += c.w[base+cls]
				}
			}
			for j, cls := range cands {
				sc[j] = sc[j]*x + c.b[cls]
			}
			pr := probs[:len(cands)]
			softmax(sc, pr)
			if pr[0] >= easyProb {
				easy[idx] = true // learnt: later epochs spend their time on the others
			}
			for j, cls := range cands {
				p := pr[j]
				if cls != y && p < sparseUpdateMin {
					continue
				}
				g := float32(p)
				if cls == y {
					g -= 1
				}
				c.b[cls] -= lr * g
				step := lr * g * x
				decay := 1 - lr*l2Penalty
				for _, row := range r {
					j := int(row)*k + cls
					c.w[j] = c.w[j]*decay - step
				}
			}
		}
	}
	return c
}

// candidates lists the classes one training example is scored against:
// its own, the classes most like it, and a few random others. Scoring
// all classes is what made a 150-intent bot slow to train; the classes a
// sentence could be confused with are the ones that shape the boundary.
func (c *classifier) candidates(dst []int, y int, confusers [][]int, rng *rand.Rand, mark []int, stamp int) []int {
	add := func(cls int) {
		if mark[cls] != stamp {
			mark[cls] = stamp
			dst = append(dst, cls)
		}
	}
	add(y) // first: the update reads its probability at index 0
	if c.full {
		for cls := 0; cls < c.k; cls++ {
			add(cls)
		}
		return dst
	}
	for _, cls := range confusers[y] {
		add(cls)
	}
	for range randomNegatives {
		add(rng.IntN(c.k))
	}
	return dst
}

// confusers returns, per class, the classes whose utterances share the
// most features with its own (cosine of the class centroids).
func (c *classifier) confusers(exs []example, rows [][]int32) [][]int {
	out := make([][]int, c.k)
	if c.full {
		return out
	}
	// Centroids as an inverted index: per feature row, the classes using it.
	type entry struct {
		class int32
		w     float32
	}
	byClass := make([][]int, c.k)
	for i, ex := range exs {
		byClass[ex.class] = append(byClass[ex.class], i)
	}
	index := make([][]entry, c.nrows)
	norms := make([]float64, c.k)
	count := make([]float32, c.nrows) // scratch, zero between classes
	var touched []int32
	for cls, members := range byClass {
		for _, i := range members {
			for _, r := range rows[i] {
				if count[r] == 0 {
					touched = append(touched, r)
				}
				count[r]++
			}
		}
		for _, r := range touched {
			w := count[r] / float32(len(members))
			index[r] = append(index[r], entry{int32(cls), w})
			norms[cls] += float64(w * w)
			count[r] = 0
		}
		touched = touched[:0]
	}
	dots := make([]float64, c.k*c.k)
	for _, list := range index {
		if len(list) > c.k/4 {
			continue // a feature most classes use tells none apart, and costs k² here
		}
		for _, a := range list {
			for _, b := range list {
				if a.class < b.class {
					dots[int(a.class)*c.k+int(b.class)] += float64(a.w * b.w)
				}
			}
		}
	}
	sims := make([]float64, c.k)
	for cls := range out {
		idx := make([]int, 0, c.k-1)
		for o := 0; o < c.k; o++ {
			if o == cls || norms[cls] == 0 || norms[o] == 0 {
				continue
			}
			lo, hi := min(cls, o), max(cls, o)
			sims[o] = dots[lo*c.k+hi] / math.Sqrt(norms[cls]*norms[o])
			idx = append(idx, o)
		}
		slices.SortStableFunc(idx, func(a, b int) int {
			switch {
			case sims[a] > sims[b]:
				return -1
			case sims[a] < sims[b]:
				return 1
			}
			return a - b
		})
		out[cls] = idx[:min(len(idx), hardNegatives)]
	}
	return out
}

// scaleOf is the value of each of n binary features in a unit-length vector.
func scaleOf(n int) float32 {
	if n == 0 {
		return 0
	}
	return float32(1 / math.Sqrt(float64(n)))
}

// rows maps feature ids to weight rows, dropping pruned and unknown ones.
func (c *classifier) rows(ids []int32, dst []int32) []int32 {
	for _, id := range ids {
		if id >= 0 && c.row[id] >= 0 {
			dst = append(dst, c.row[id])
		}
	}
	return dst
}

// scores computes the class scores of one input (rows at value x each).
func (c *classifier) scores(rows []int32, x float32, out []float32) {
	k := c.k
	for i := range out {
		out[i] = 0
	}
	for _, row := range rows {
		w := c.w[int(row)*k : int(row)*k+k]
		o := out[:len(w)]
		i := 0
		for ; i+4 <= len(w); i += 4 {
			o[i] += w[i]
			o[i+1] += w[i+1]
			o[i+2] += w[i+2]
			o[i+3] += w[i+3]
		}
		for ; i < len(w); i++ {
			o[i] += w[i]
		}
	}
	for i := range out {
		out[i] = out[i]*x + c.b[i]
	}
}

func softmax(scores []float32, out []float64) {
	maxS := float32(math.Inf(-1))
	for _, s := range scores {
		maxS = max(maxS, s)
	}
	var sum float64
	for i, s := range scores {
		e := math.Exp(float64(s - maxS))
		out[i] = e
		sum += e
	}
	for i := range out {
		out[i] /= sum
	}
}

// probabilities returns the softmax distribution over classes for an
// input's feature ids.
func (c *classifier) probabilities(ids []int32) []float64 {
	probs := make([]float64, c.k)
	if c.k == 0 {
		return probs
	}
	rows := c.rows(ids, make([]int32, 0, len(ids)))
	scores := make([]float32, c.k)
	c.scores(rows, scaleOf(len(rows)), scores)
	softmax(scores, probs)
	return probs
}

// buildIndex fills the postings of the training utterances.
func (c *classifier) buildIndex(exs []example, fids [][]int32) {
	c.norms = make([][]float32, c.k)
	c.postStart = make([]int32, len(c.idf)+1)
	indexed := func(i int) bool { return exs[i].class < indexLimit && len(c.norms[exs[i].class]) < indexLimit }
	for i, ids := range fids {
		if indexed(i) {
			for _, id := range ids {
				c.postStart[id+1]++
			}
		}
		c.norms[exs[i].class] = append(c.norms[exs[i].class], 0)
	}
	for i := range len(c.idf) {
		c.postStart[i+1] += c.postStart[i]
	}
	c.postings = make([]uint32, c.postStart[len(c.idf)])
	next := slices.Clone(c.postStart[:len(c.idf)])
	for cls := range c.norms {
		c.norms[cls] = c.norms[cls][:0]
	}
	for i, ids := range fids {
		cls := exs[i].class
		ok := indexed(i)
		u := len(c.norms[cls])
		var sum float32
		for _, id := range ids {
			w := c.idf[id]
			sum += w * w
			if ok {
				c.postings[next[id]] = uint32(cls)<<16 | uint32(u)
				next[id]++
			}
		}
		c.norms[cls] = append(c.norms[cls], float32(math.Sqrt(float64(sum))))
	}
}

// lookup turns an input's feature hashes into feature ids (-1 for a
// feature never seen in training) with their IDF weights (the unseen ones
// weigh most) and the input's weighted length.
func (c *classifier) lookup(feats []uint64) ([]int32, []float32, float32) {
	ids := make([]int32, len(feats))
	wts := make([]float32, len(feats))
	var sum float32
	for i, f := range feats {
		w := c.unseen
		id, ok := c.ids[f]
		if ok {
			w = c.idf[id]
		} else {
			id = -1
		}
		ids[i], wts[i] = id, w
		sum += w * w
	}
	return ids, wts, float32(math.Sqrt(float64(sum)))
}

// similarity is the largest cosine between the input and a training
// utterance of class: how well one real sample explains the whole input.
// Features the model never saw count against it, which is what separates
// out-of-scope requests from paraphrases.
func (c *classifier) similarity(ids []int32, wts []float32, norm float32, class int) float64 {
	if norm == 0 || class >= indexLimit || len(c.norms[class]) == 0 {
		return 0
	}
	norms := c.norms[class]
	dots := c.classDots(ids, wts, class)
	best := float32(0)
	for u, d := range dots {
		if d == 0 {
			continue
		}
		if s := d / (norm * norms[u]); s > best {
			best = s
		}
	}
	return float64(min(best, 1))
}

// Leave-one-out reference: at most refSamples training utterances, spread
// evenly, each compared with the other utterances of its intent; fewer
// than minRefSamples comparisons leave the fixed gate in charge.
const (
	refSamples    = 2000
	minRefSamples = 20
)

// leaveOneOut returns the similarities of sampled training
// utterances to the nearest other sample utterance of their class (the
// examples made from the same template excluded).
func (c *classifier) leaveOneOut(exs []example, fids [][]int32) []float32 {
	if len(exs) == 0 {
		return nil
	}
	// pos[i] is example i's number within its class, as the index counts.
	pos := make([]int, len(exs))
	seen := make([]int, c.k)
	owner := make([][]int, c.k) // per class, per utterance number: its template
	for i, ex := range exs {
		pos[i] = seen[ex.class]
		seen[ex.class]++
		owner[ex.class] = append(owner[ex.class], ex.utterance)
	}
	step := max(1, len(exs)/refSamples)
	var picks []int
	for i := 0; i < len(exs); i += step {
		if pos[i] < indexLimit && exs[i].class < indexLimit {
			picks = append(picks, i)
		}
	}
	sims := make([]float32, len(picks))
	ok := make([]bool, len(picks))
	parallel(len(picks), func(n int) {
		i := picks[n]
		cls := exs[i].class
		norms := c.norms[cls]
		dots := c.classDots(fids[i], nil, cls)
		best, found := float32(0), false
		for u, d := range dots {
			if owner[cls][u] == exs[i].utterance || norms[u] == 0 {
				continue
			}
			found = true
			best = max(best, d/(norms[pos[i]]*norms[u]))
		}
		sims[n], ok[n] = min(best, 1), found && norms[pos[i]] > 0
	})
	var out []float32
	for n, s := range sims {
		if ok[n] {
			out = append(out, s)
		}
	}
	return out
}

// meanSD returns the mean and sample standard deviation of xs, or zeros
// for fewer than minRefSamples values.
func meanSD(xs []float32) (mean, sd float64) {
	if len(xs) < minRefSamples {
		return 0, 0
	}
	for _, x := range xs {
		mean += float64(x)
	}
	mean /= float64(len(xs))
	var v float64
	for _, x := range xs {
		v += (float64(x) - mean) * (float64(x) - mean)
	}
	return mean, math.Sqrt(v / float64(len(xs)-1))
}

// classDots returns the IDF²-weighted feature overlap of an input with
// each indexed utterance of class; wts nil means the training IDF.
func (c *classifier) classDots(ids []int32, wts []float32, class int) []float32 {
	dots := make([]float32, min(len(c.norms[class]), indexLimit))
	lo, hi := uint32(class)<<16, uint32(class+1)<<16
	for i, id := range ids {
		if id < 0 {
			continue
		}
		w := c.idf[id]
		if wts != nil {
			w = wts[i]
		}
		list := c.postings[c.postStart[id]:c.postStart[id+1]]
		j, _ := slices.BinarySearch(list, lo)
		w2 := w * w
		for _, p := range list[j:] {
			if p >= hi {
				break
			}
			dots[p&0xffff] += w2
		}
	}
	return dots
}

// inScopeShare is the share of in-scope inputs expected to be less
// similar to their intent than sim: the normal distribution fitted to the
// leave-one-out similarities. A fitted curve rather than the sample's own
// ranks, because a small bot has too few samples for a low quantile.
func (c *classifier) inScopeShare(sim float64) float64 {
	return 0.5 * math.Erfc(-(sim-c.inScopeMean)/(c.inScopeSD*math.Sqrt2))
}

// Calibration of the confidence. Softmax probabilities only compare the
// intents with each other: a bot with one intent gives it 1.0 for any
// input. So the probability is damped by how well the nearest training
// utterance of the intent covers the input (IDF-weighted cosine of the
// same features): paraphrases share most of their n-grams with some
// sample, out-of-scope requests do not.
const (
	simFloor = 0.25 // with no reference: at or below this similarity the input is unrelated
	simFull  = 0.50 // with no reference: from this similarity on only the probability counts

	// inScopeQuantile: an input at least as similar to the intent's samples
	// as this share of the bot's own leave-one-out similarities passes the
	// gate in full. At the default threshold 0.40 a sure intent is then
	// rejected below about the 1.6th percentile. Chosen on the validation
	// data of CLINC150 (in-scope and out-of-scope), HWU64, SNIPS, ParaKQC
	// and xSID: 0.15 rejects more in-scope inputs, 0.05 lets more
	// out-of-scope ones through.
	inScopeQuantile = 0.1

	// templateMinProb is the least classifier probability at which an
	// input that follows a sample utterance's template counts as certain.
	// On HWU64 validation data with slot templates, trusting every such
	// match cost 6 points of accuracy.
	templateMinProb = 0.1
)

// confidence combines the classifier probability with the similarity as
// prob^¼ · g^½. With a leave-one-out reference, g is the share of
// in-scope inputs expected below sim (inScopeShare), divided by
// inScopeQuantile (at most 1): how ordinary the input's overlap is for
// this bot, which adapts the gate to few-shot bots and to long utterances
// full of names, and needs no out-of-scope examples.
// Without one g rises linearly from simFloor to simFull.
func (c *classifier) confidence(prob, sim float64) float64 {
	g := (sim - simFloor) / (simFull - simFloor)
	if c.inScopeSD > 0 {
		g = c.inScopeShare(sim) / inScopeQuantile
	}
	g = min(max(g, 0), 1)
	return min(max(math.Sqrt(math.Sqrt(prob)*g), 0), 1)
}
