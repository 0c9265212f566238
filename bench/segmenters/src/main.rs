fn main() {
    let t = std::time::Instant::now();
    let seg = icu_segmenter::WordSegmenter::new_dictionary(Default::default());
    let s = "0到3000万用户微服务之旅：从单体到云原生的演进式架构与ApacheRocketMQ事务消息";
    let b: Vec<usize> = seg.segment_str(s).collect();
    println!("icu {:?} {:?}", t.elapsed(), b.windows(2).map(|w| &s[w[0]..w[1]]).collect::<Vec<_>>());
    let t = std::time::Instant::now();
    let j = jieba_rs::Jieba::new();
    let init = t.elapsed();
    println!("jieba init {:?} {:?}", init, j.cut(s, true));
}
