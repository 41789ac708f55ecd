// The console speaks Chinese first; the English switch is kept in localStorage.
const STORAGE_KEY = "graph-service:console-lang";

export function currentLang() {
  try {
    return window.localStorage.getItem(STORAGE_KEY) === "en" ? "en" : "zh";
  } catch (error) {
    return "zh";
  }
}

export function keepLang(lang) {
  try {
    window.localStorage.setItem(STORAGE_KEY, lang === "en" ? "en" : "zh");
  } catch (error) {
    // A browser that refuses storage keeps the choice for this page only.
  }
}

// t(zh, en) in the current language; t({zh, en}) too.
export function translator(lang) {
  return (zh, en) => {
    if (zh && typeof zh === "object") return lang === "en" ? zh.en ?? zh.zh : zh.zh;
    return lang === "en" && en !== undefined ? en : zh;
  };
}
