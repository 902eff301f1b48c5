// Plain Korean, read by fixed patterns, in order (particles and endings spelled out in each pattern):
// the first that fits names a grammar command and where its arguments are (natural.ts reads them).
import { clean, listedStatus, titled, NOUN_WORD, PH, priorityWord, searchWords, withoutNew, type Pattern } from './plain-words.js';

/** A plan's place said in Korean: 맨 위 → 1, 두 번째 → 2, 3번째 → 3. */
const koPosition = (w: string) => /\d+/.exec(w)?.[0] ?? (/두/.test(w) ? '2' : /세/.test(w) ? '3' : '1');

const KO_OBJ = '(?:을|를)?';
export const KO: Pattern[] = [
  // 질문/요약/다음 단계 저장 first: the text after the colon is saved as it is, its own verbs and question
  // mark included ("질문: 결제 모듈 테스트 끝났어?" is a question to keep, not a task to finish)
  { re: /^(다음\s*단계|질문|요약)(?:\s*하나)?\s*(?:으로|로)?\s*(?:기록|저장|추가|남겨)?(?:\s*해\s*줘|\s*줘|\s*해)?\s*[:：]\s*(.+?[?？]*)$/u, make: (m) => ({ noun: 'context', verb: 'save', flags: { [m[1]!.startsWith('다음') ? 'next_step' : m[1] === '질문' ? 'question' : 'summary']: m[2]!.trim() } }) },
  // Said before anything else is tried, so a looser pattern below cannot take them: help, lists that ask
  // "what is there", the config, and snapshots with a label said as 이름은 …/…라는 이름으로.
  { re: /^(?:.*\s)?(?:명령어|커맨드)(?:\s*(?:는|은|들))?\s*(?:어떻게\s*(?:쓰는지|써|사용)|뭐\s*(?:뭐\s*)?있어|목록|알려\s*줘).*$|^(?:도움말|사용법)\s*(?:보여\s*줘|알려\s*줘)?$/u, make: () => ({ kind: 'help', text: '' }) },
  { re: /^(?:이\s*플로우에\s*|지금\s*)?(플랜|계획|플로우|스냅샷|문서)\s*(?:들)?\s*(?:은|는|이|가)?\s*(?:뭐\s*뭐|뭐|어떤\s*(?:거|것))\s*있(?:지|어|나|는지)\S*\s*[?？]?$/u, make: (m) => ({ noun: NOUN_WORD[m[1]!]!, verb: 'list' }) },
  { re: /^(보관된|보관\s*중인|활성)\s*플로우\s*(?:들)?\s*(?:목록)?\s*(?:보여\s*줘|보여\s*줄래|알려\s*줘)?\s*[?？]?$/u, make: (m) => ({ noun: 'flow', verb: 'list', flags: { status: m[1]!.startsWith('보관') ? 'archived' : 'active' } }) },
  { re: /^(?:현재|이|지금)\s*플로우.*(?:보여|알려|어때)/u, make: () => ({ noun: 'flow', verb: 'show', positionals: [] }) },
  { re: /^(?:설정|config)\s*(?:을|를)?\s*(?:보여\s*줘|알려\s*줘|보기)?\s*[?？]?$/u, make: () => ({ noun: 'config', verb: 'show' }) },
  { re: /^(?:.*\s)?스냅샷\s*(?:하나\s*)?(?:만들어|생성|찍어|저장|떠)\S*\s*[,，]\s*(?:이름은|라벨은|이름:|라벨:)\s*(.+)$/u, make: (m) => ({ noun: 'snapshot', verb: 'create', positionals: [clean(m[1])] }) },
  { re: /^(.+?)\s*(?:이?라는|이?라고)\s*이름으로\s*(고정(?:된)?\s*)?스냅샷/u, make: (m) => ({ noun: 'snapshot', verb: 'create', positionals: [clean(m[1])], flags: m[2] ? { pinned: true } : {} }) },
  { re: /^스냅샷\s*(?:하나\s*)?(?:만들어|생성|찍어|저장|떠)\S*$/u, make: () => ({ noun: 'snapshot', verb: 'create', positionals: [] }) },
  { re: /^(?:.*\s)?오래된\s*스냅샷\s*(?:들)?\s*(?:을|를)?\s*(?:정리|삭제|지워)/u, make: () => ({ noun: 'snapshot', verb: 'prune', positionals: [] }) },
  // 맥락과 이력
  { re: /^(?:컨텍스트|맥락)\s*(?:히스토리|기록|이력).*$/u, make: () => ({ noun: 'context', verb: 'history' }) },
  { re: /^(?:지금까지\s*)?(?:내린\s*)?(?:결정(?:들|사항)?|컨텍스트|맥락).*(?:보여|알려)\S*\s*[?？]?$/u, make: () => ({ noun: 'context', verb: 'show' }) },
  { re: /^결정\s*(?:사항)?\s*(?:기록|저장|남겨)?(?:\s*해\s*줘|\s*줘)?\s*[:：]\s*(.+?)(?:\s*[,，.]\s*이유(?:는|\s*[:：])\s*(.+?))?(?:[.,，]\s*(?:남겨|기록해|저장해)\s*줘)?$/u, make: (m) => ({ noun: null, verb: 'decide', positionals: [m[1]!.trim()], flags: m[2] ? { why: m[2].trim() } : {} }) },
  // 이어가기, 다음, 상태
  { re: /^(?:.*\s)?(?:이어서\s*(?:작업|일)\s*(?:할\s*수\s*있게|하게)\s*정리|어디까지\s*했는지\s*(?:브리핑|정리|알려)|브리핑)\s*(?:해\s*줘|해\s*주세요|좀)?\s*[?？]?$/u, make: () => ({ noun: null, verb: 'resume' }) },
  { re: /^(?:.*\s)?이제\s*(?:뭐|무엇을?)\s*(?:해|하지|할까|하면\s*돼)\s*[?？]?$/u, make: () => ({ noun: null, verb: 'next' }) },
  { re: /^(?:지금\s*)?(?:전체적으로\s*)?어디까지\s*(?:왔어|왔지|됐어|진행됐어)\s*[?？]?$/u, make: () => ({ kind: 'status', dry_run: false }) },
  // 되돌리기(마지막 복원·삭제), 앞에 무슨 말이 있어도
  { re: /^(?:.*\s)?(?:마지막|최근|방금)?\s*(복원|삭제|가져오기)(?:한|했던)?\s*(?:거|것)?\s*(?:을|를)?\s*(?:취소|되돌려|되돌리기|undo)/u, make: (m) => ({ kind: 'undo', what: m[1] === '복원' ? 'restore' : m[1] === '삭제' ? 'delete' : 'import', dry_run: false, confirm: false }) },
  // 새로 만들기: …라는 새 플로우; 플로우에 플랜
  { re: /^(.+?)\s*(?:이?라는|이?란)\s*(?:새\s*)?(플로우|플랜|계획|태스크|작업)\s*(?:을|를|하나)?\s*(?:시작|만들어|추가|생성)/u, make: (m) => ({ noun: NOUN_WORD[m[2]!]!, verb: 'add', positionals: [clean(m[1])] }) },
  { re: /^(.+?)\s*플로우에\s*(.+?)\s*(?:플랜|계획)\s*(?:을|를)?\s*(?:만들어|추가|생성)/u, make: (m) => ({ noun: 'plan', verb: 'add', positionals: [clean(m[2])], flags: { flow: clean(m[1]) } }) },
  { re: /^(.+?)\s*(?:플랜|계획)\s*(?:을|를|하나)?\s*(?:추가|만들어|생성)\S*\s*[,，]\s*목표는\s*(.+)$/u, make: (m) => ({ noun: 'plan', verb: 'add', positionals: [clean(m[1])], flags: { objective: clean(m[2]) } }) },
  { re: /^(?:태스크|작업|할\s*일)\s*하나\s*(?:만들어|추가)\S*\s*[.,，]?\s*제목은\s*(.+)$/u, make: (m) => ({ noun: 'task', verb: 'add', positionals: [titled(m[1])] }) },
  // '관리자 대시보드' 플로우 새로 만들어줘 (a quoted name before the noun; 시작 only with 새로: "'X' 작업 시작해줘" starts X)
  { re: new RegExp(`^(${PH})\\s*(플로우|플랜|계획|태스크|작업)\\s*(?:을|를|하나)?\\s*(?:새로\\s*(?:시작|만들어|추가|생성)|만들어|추가|생성)`, 'u'), make: (m) => ({ noun: NOUN_WORD[m[2]!]!, verb: 'add', positionals: [m[1]!] }) },
  // 결제 모듈 테스트를 '결제 모듈 단위 테스트'로 리네임
  { re: /^(.+?)\s*(태스크|작업|플랜|계획|플로우)?\s*(?:을|를)\s*(.+?)\s*(?:으로|로)\s*(?:리네임|개명|이름\s*(?:을|를)?\s*(?:변경|바꿔))/u, make: (m) => ({ noun: m[2] ? NOUN_WORD[m[2]]! : 'task', verb: 'rename', positionals: [clean(m[1]), m[3]!.trim()] }) },
  // 최신 스냅샷 내용 보여줘 (the newest: resolve-name reads 최신)
  { re: /^(마지막|최근|최신|가장\s*최근)\s*스냅샷\s*(?:의\s*)?(?:내용|상세|정보)?\s*(?:을|를)?\s*(?:보여|알려)/u, make: (m) => ({ noun: 'snapshot', verb: 'show', positionals: [m[1]!] }) },
  // docs/refunds.md 문서 작성해줘 내용은 '…'
  { re: new RegExp(`^([\\w./-]+\\.md)\\s*(?:문서|노트)?\\s*(?:를|을)?\\s*(?:작성|써|만들어)\\S*\\s*[,，]?\\s*내용(?:은|는|:)\\s*(${PH}|.+)$`, 'u'), make: (m) => ({ noun: 'doc', verb: 'write', positionals: [m[1]!, m[2]!] }) },
  // 예전 workflow.json 가져오기 해줘, 먼저 dry run으로
  {
    // Only a request's ending or a dry run may follow: "임포트 하지 말고", "임포트 전에 스냅샷", "임포트 취소" are not an import.
    re: /^(?:.*\s)?([\w./-]+\.json|current_flow\.txt)\s*(?:을|를|파일)?\s*(?:가져오기|가져와|임포트|import)((?:\s*(?:해|해\s*줘|해\s*주세요|줘|주세요|하자|할게|하기|좀|부탁(?:해|해요)?))?(?:\s*[,，.]?\s*(?:먼저|일단|우선)?\s*(?:dry\s*-?\s*run|드라이\s*런|미리\s*보기|시험\s*삼아|확인만)\s*(?:으로|로|만)?\s*(?:해\s*줘|해\s*주세요|해|줘|부탁해)?)?)\s*[.!]?$/iu,
    make: (m) => ({ noun: null, verb: 'import', positionals: [m[1]!], flags: /dry\s*-?\s*run|드라이\s*런|미리\s*보기|시험\s*삼아|먼저\s*확인|확인만/iu.test(m[0]) ? { dry_run: true } : {} }),
  },
  // 이름 바꾸기: X → Y로; 맡기기: 에이전트 앞으로
  { re: /^(.+?)\s*(?:→|->|=>)\s*(.+?)\s*(?:으로|로)\s*(?:이름\s*)?(?:변경|바꿔|바꾸자|수정)/u, make: (m) => ({ noun: 'task', verb: 'rename', positionals: [clean(m[1]), m[2]!.trim()] }) },
  { re: /^(.+?)\s*(?:을|를)\s*([\w.-]+)\s*(?:에이전트|agent)\s*(?:앞으로|에게|한테|로)\s*(?:클레임|할당|배정)/u, make: (m) => ({ noun: 'task', verb: 'claim', positionals: [clean(m[1])], flags: { agent: m[2]! } }) },
  // 검색과 문서
  { re: /^(.+?)\s*(?:얘기|이야기|내용)\s*(?:는|은)?\s*어디\s*(?:있었지|있어|있더라|적었지)\s*[?？]?$/u, make: (m) => ({ noun: null, verb: 'search', positionals: [searchWords(m[1]!)] }) },
  { re: /^(.+?)\s*(?:관련\s*(?:자료|문서|내용)?\s*)?(?:검색\s*(?:해\s*줘|해\s*주세요|부탁해?|좀)|찾아\s*봐|찾아\s*줄래)\s*$/u, make: (m) => ({ noun: null, verb: 'search', positionals: [searchWords(m[1]!)] }) },
  { re: /^([\w./-]+\.md)\s*(?:을|를)?\s*(?:열어|읽어|보여)/u, make: (m) => ({ noun: 'doc', verb: 'read', positionals: [m[1]!] }) },
  { re: /^(?:.*\s)?(\S*[*/]\S*)\s*(?:을|를)?\s*인덱싱/u, make: (m) => ({ noun: 'doc', verb: 'index', positionals: [m[1]!] }) },
  { re: new RegExp(`^([\\w./-]+\\.md)\\s*에\\s*(${PH}|.+?)\\s*(?:이?라고)?\\s*(?:문서|노트)?\\s*(?:를|을)?\\s*(?:써|작성|적어)`, 'u'), make: (m) => ({ noun: 'doc', verb: 'write', positionals: [m[1]!, m[2]!] }) },
  // 로그인 화면 태스크 이름을 '완료 화면'으로 변경 (before 전환, which also ends in 으로 바꿔)
  {
    re: /^(.+?)\s*(태스크|작업|할\s*일|플랜|계획|플로우)?\s*(?:의\s*)?(?:이름|제목)\s*(?:을|를)?\s*(.+?)\s*(?:으로|로)\s*(?:변경|바꿔|바꾸기|바꾸자|수정)/u,
    make: (m) => ({ noun: m[2] && NOUN_WORD[m[2].replace(/\s+/g, '')] ? NOUN_WORD[m[2].replace(/\s+/g, '')]! : 'task', verb: 'rename', positionals: [clean(m[1]), m[3]!.trim()] }),
  },
  // 인증 플랜에 마이그레이션 테스트 작성 태스크 추가
  {
    re: new RegExp(`^(.+?)\\s*(?:플랜|계획)에\\s*(.+?)\\s*(?:태스크|작업|할\\s*일)?\\s*${KO_OBJ}\\s*(?:추가|만들어|생성|넣어)`, 'u'),
    make: (m) => ({ noun: 'task', verb: 'add', positionals: [clean(m[2])], flags: { plan: clean(m[1]) } }),
  },
  // 새 플로우 만들어줘: 정산 시스템 / 새 플랜 추가: 정산
  { re: /^(?:새(?:로운)?\s*)?(플로우|플랜|계획)\s*(?:하나\s*)?(?:추가|생성|만들어|만들기)(?:\s*줘|해\s*줘|해|하기)?\s*[:：]\s*(.+)$/u, make: (m) => ({ noun: m[1] === '플로우' ? 'flow' : 'plan', verb: 'add', positionals: [titled(m[2])] }) },
  // '영수증 이메일 발송' 추가해줘: a quoted title needs no noun
  { re: new RegExp(`^(${PH})\\s*${KO_OBJ}\\s*(?:태스크|작업|할\\s*일)?\\s*(?:하나\\s*)?(?:추가|생성|만들어)(?:\\s*줘|해\\s*줘|해|하기)?$`, 'u'), make: (m) => ({ noun: 'task', verb: 'add', positionals: [m[1]!] }) },
  // '비밀번호 강도 표시' auth에 추가: a quoted title into a plan named before 에
  { re: new RegExp(`^(${PH})\\s*(?:을|를)?\\s*(.+?)\\s*(?:플랜|계획)?\\s*에\\s*(?:추가|넣어)(?:\\s*줘|해\\s*줘|해|하기)?$`, 'u'), make: (m) => ({ noun: 'task', verb: 'add', positionals: [m[1]!], flags: { plan: clean(m[2]) } }) },
  // 새 태스크: 토큰 저장 방식 리팩터링
  // 새 플로우 결제 / 새 플랜: 1차 출시 (the name after the noun, as 새 작업: … takes a task's)
  // (A space or colon after the noun, and no verb ending or question: "새 플랜은 뭐야?", "새 플로우로 전환해줘",
  // "새 플랜 삭제해줘" are not names.)
  { re: /^새(?:로운)?\s*(플로우|플랜|계획)(?:\s*[:：]\s*|\s+)(?![은는이가을를로으의에도만])([^?？]+?)(?<!해\s*줘|줘|해|야|요|다|까|지|네|어|자|죠)\s*$/u, make: (m) => ({ noun: m[1] === '플로우' ? 'flow' : 'plan', verb: 'add', positionals: [titled(m[2])] }) },
  { re: /^새(?:로운)?\s*(?:태스크|작업|할\s*일)\s*[:：]\s*(.+)$/u, make: (m) => ({ noun: 'task', verb: 'add', positionals: [titled(m[1])] }) },
  // 새 작업 추가: 결제 연동 / 작업 추가해줘: 결제 연동 (the title after the colon)
  { re: /^(?:새(?:로운)?\s*)?(?:태스크|작업|할\s*일)\s*(?:하나\s*)?(?:추가|생성|만들기)(?:해\s*줘|해|하기)?\s*[:：-]?\s*(.+)$/u, make: (m) => ({ noun: 'task', verb: 'add', positionals: [titled(m[1])] }) },
  { re: new RegExp(`^(.+?)\\s*(?:태스크|작업|할\\s*일)\\s*${KO_OBJ}\\s*(?:추가|만들어|생성)`, 'u'), make: (m) => ({ noun: 'task', verb: 'add', positionals: [withoutNew(clean(m[1]))] }) },
  { re: new RegExp(`^(.+?)\\s*(?:플랜|계획)\\s*${KO_OBJ}\\s*(?:추가|만들어|생성)`, 'u'), make: (m) => ({ noun: 'plan', verb: 'add', positionals: [clean(m[1])] }) },
  { re: new RegExp(`^(.+?)\\s*(?:플로우)\\s*${KO_OBJ}\\s*(?:추가|만들어|생성|시작)`, 'u'), make: (m) => ({ noun: 'flow', verb: 'add', positionals: [clean(m[1])] }) },
  // 다음 뭐 해? / 다음 작업
  { re: /^(?:다음(?:에)?\s*(?:뭐|무엇|작업|태스크|할\s*일)?\s*(?:해|하지|할까|하면\s*돼|은|는|이야|추천해\s*줘|추천|알려\s*줘|골라\s*줘)?|이제\s*뭐\s*(?:해|하지)|(?:뭐|무엇)부터\s*(?:해|하지|할까))\s*[?？]?$/u, make: () => ({ noun: null, verb: 'next' }) },
  // 마지막 복원 취소
  { re: /^(?:마지막|최근|방금)?\s*(?:한\s*)?(복원|삭제|가져오기)(?:한|했던)?\s*(?:거|것)?\s*(?:을|를)?\s*(?:취소|되돌려|되돌리기|undo)/u, make: (m) => ({ kind: 'undo', what: m[1] === '복원' ? 'restore' : m[1] === '삭제' ? 'delete' : 'import', dry_run: false, confirm: false }) },
  // 로그인 태스크 완료 / 로그인 작업 끝났어 (not 아직 안 끝났어: not done)
  { re: new RegExp(`^(.+?)\\s*(?:태스크|작업)?\\s*(?:을|를|은|는|이|가)?\\s*(?<!(?:^|\\s)(?:안|못)\\s*)(?:완료|끝)(?:했어|했다|했음|남|났어|처리|로\\s*표시|함)?\\s*$`, 'u'), make: (m) => ({ noun: null, verb: 'done', positionals: [clean(m[1])] }) },
  { re: new RegExp(`^(.+?)\\s*(?:태스크|작업)?\\s*${KO_OBJ}\\s*시작(?:할게|한다|해|함)?\\s*$`, 'u'), make: (m) => ({ noun: null, verb: 'start', positionals: [clean(m[1])] }) },
  { re: new RegExp(`^(.+?)\\s*(?:태스크|작업)?\\s*${KO_OBJ}\\s*(?:취소|건너뛰기|스킵)(?:해|함)?\\s*$`, 'u'), make: (m) => ({ noun: null, verb: 'skip', positionals: [clean(m[1])] }) },
  // 결제 연동 작업을 긴급으로 바꿔줘 / 로그인 우선순위 높음으로 설정
  {
    re: new RegExp(`^(.+?)\\s*(?:태스크|작업)?\\s*(?:의\\s*)?(?:우선\\s*순위)?\\s*(?:을|를|은|는|이|가)?\\s*(낮음|낮게|보통|중간|높음|높게|긴급|급함|low|medium|high|urgent)\\s*(?:으로|로)?\\s*(?:바꿔|변경|설정|올려|내려|해)\\s*(?:줘|주세요)?\\s*$`, 'iu'),
    make: (m) => ({ noun: 'task', verb: 'edit', positionals: [clean(m[1]).replace(/\s*(?:의\s*)?우선\s*순위$/u, '')], flags: { priority: priorityWord(m[2]!) } }),
  },
  // 막힌 작업 보여줘 / 진행 중인 작업 / 완료된 할 일 목록
  {
    re: /^(막힌|막혀\s*있는|블록된|차단된|진행\s*중인|하고\s*있는|완료된|끝난|남은|열린|취소된|리뷰\s*중인|검토\s*중인)\s*(?:태스크|작업|할\s*일)\s*(?:은|는|이|가)?\s*(?:목록|리스트)?\s*(?:보여\s*줘|알려\s*줘|뭐야|뭐\s*있어|있어)?\s*[?？]?$/u,
    make: (m) => ({ noun: 'task', verb: 'list', flags: { status: listedStatus(m[1]!)! } }),
  },
  // 의존: 배포는 문서 작성 다음에 / 배포는 문서 작성에 의존
  { re: /^(.+?)\s*(?:은|는|이|가)\s+(.+?)\s*(?:다음에|후에|뒤에|이후에|끝나고)\s*(?:해야\s*(?:해|함|돼)|진행|시작)?\s*$/u, make: (m) => ({ noun: 'task', verb: 'depend', positionals: [clean(m[1]), clean(m[2])] }) },
  { re: /^(.+?)\s*(?:은|는|이|가)\s+(.+?)\s*에\s*(?:의존|의존해|의존함|의존한다)\s*$/u, make: (m) => ({ noun: 'task', verb: 'depend', positionals: [clean(m[1]), clean(m[2])] }) },
  // 맡기: 문서 작성 맡을게 / 문서 작성 반납
  { re: /^(?:다음\s*(?:작업|태스크|할\s*일)?\s*(?:을|를)?\s*(?:맡을게|가져갈게|할당해\s*줘))\s*$/u, make: () => ({ noun: 'task', verb: 'claim', positionals: [] }) },
  { re: new RegExp(`^(?:(?:내가|제가)\\s+)?(.+?)\\s*(?:태스크|작업)?\\s*${KO_OBJ}\\s*(?:맡을게|맡을께|맡겠습니다|가져갈게|내가\\s*할게|제가\\s*할게요?)\\s*$`, 'u'), make: (m) => ({ noun: 'task', verb: 'claim', positionals: [clean(m[1])] }) },
  { re: new RegExp(`^(.+?)\\s*(?:태스크|작업)?\\s*${KO_OBJ}\\s*(?:반납|내려놓을게|놓을게|포기|담당\\s*해제|할당\\s*해제)(?:할게|해\\s*줘|해|함)?\\s*$`, 'u'), make: (m) => ({ noun: 'task', verb: 'release', positionals: [clean(m[1])] }) },
  // 스냅샷으로 되돌리기, 비교
  { re: /^(.+?)\s*스냅샷\s*(?:으로|로)\s*(?:복원|되돌려|되돌리기|돌아가)/u, make: (m) => ({ noun: 'snapshot', verb: 'restore', positionals: [clean(m[1])] }) },
  { re: /^(.+?)\s*스냅샷\s*(?:이후|부터)\s*(?:바뀐|달라진|변경된|변경\s*사항)\s*(?:것|거|점|내용)?\s*(?:은|는)?\s*(?:뭐야|보여\s*줘|알려\s*줘)?\s*[?？]?$|^(.+?)\s*스냅샷\s*(?:과|와|이랑|하고)\s*비교/u, make: (m) => ({ noun: 'snapshot', verb: 'diff', positionals: [clean(m[1] ?? m[2])] }) },
  // 다시 열기; 라벨 붙은 맥락
  { re: new RegExp(`^(.+?)\\s*(?:태스크|작업)?\\s*${KO_OBJ}\\s*(?:다시\\s*열어|다시\\s*열기|재개)(?:\\s*줘)?\\s*$`, 'u'), make: (m) => ({ noun: 'task', verb: 'reopen', positionals: [clean(m[1])] }) },
  // 맥락, 이어가기, 막힘, 리뷰
  { re: /^(?:결정\s*사항|결정한\s*것|맥락|컨텍스트)\s*(?:들)?\s*(?:을|를)?\s*(?:보여\s*줘|알려\s*줘|뭐야|보기)?\s*[?？]?$|^(?:뭘|무엇을|뭐)\s*결정했(?:지|어|더라)\s*[?？]?$/u, make: () => ({ noun: 'context', verb: 'show' }) },
  { re: /^(?:.*\s)?(?:어디까지\s*했는지\s*)?브리핑\s*(?:좀\s*)?(?:해\s*줘|해\s*주세요|부탁(?:해|해요)?|좀)?\s*[?？]?$|^(?:.*[,，]\s*)?그동안\s*(?:뭐|무엇을?)\s*(?:하고\s*있었|했었?)(?:지|더라|어)?\s*[?？]?$|^(?:(?:어제|지난번에?|저번에?)\s*)?어디까지\s*했(?:지|더라|었지)\s*[?？]?$|^(?:이어서|계속)\s*(?:하자|하기|할게|진행)\s*$/u, make: () => ({ noun: null, verb: 'resume' }) },
  { re: new RegExp(`^(.+?)\\s*(?:태스크|작업)?\\s*(?:에서|이|가|은|는)?\\s*(?:막혔어|막힘|막혔다|보류)(?:\\s*(?:해\\s*줘|할게|처리))?\\s*$`, 'u'), make: (m) => ({ noun: 'task', verb: 'block', positionals: [clean(m[1])] }) },
  { re: new RegExp(`^(.+?)\\s*(?:태스크|작업)?\\s*${KO_OBJ}\\s*(?:리뷰|검토)\\s*(?:요청|해\\s*줘|부탁)(?:\\s*할게)?\\s*$`, 'u'), make: (m) => ({ noun: 'task', verb: 'review', positionals: [clean(m[1])] }) },
  // 도움말; 플랜 순서; 설명
  { re: /^(?:도움말|도움|사용법|명령어|뭘\s*할\s*수\s*있어)\s*[?？]?$/u, make: () => ({ kind: 'help', text: '' }) },
  { re: /^(.+?)\s*(?:플랜|계획)(?:을|를)?\s*(맨\s*위|맨\s*앞|처음|첫\s*번째|두\s*번째|세\s*번째|\d+\s*번째?)\s*(?:로|으로)?\s*(?:올려|옮겨|이동|바꿔)/u, make: (m) => ({ noun: 'plan', verb: 'move', positionals: [clean(m[1]), koPosition(m[2]!)] }) },
  // "X 설명 수정: …" (the text after the colon), then "X 설명은 …로 바꿔줘" (a description must say something:
  // "설명 수정" alone had set it to "", "설명은 …" kept the particle, and a verb inside the text ended it: "카드 결제 써서 …")
  { re: /^(.+?)\s*(?:태스크|작업)?\s*(?:의\s*)?설명\s*(?:을|를)?\s*(?:좀\s*)?(?:수정|변경|바꿔|업데이트)\S*\s*[:：]\s*(.*[\p{L}\p{N}].*)$/u, make: (m) => ({ noun: 'task', verb: 'edit', positionals: [clean(m[1])], flags: { description: m[2]!.trim() } }) },
  { re: new RegExp(`^(.+?)\\s*(?:태스크|작업)?\\s*(?:의\\s*)?설명\\s*(?:은|는|에|을|를)?\\s*(?!(?:수정|변경|바꿔|적어|써)\\S*(?:\\s*(?:해|줘|주세요|줄래요?|줄|주실|주시겠어요|수|있어요?|있나요|있니|있을까요?|부탁(?:해|해요)?))*\\s*[?？]?$)(${PH}|[\\p{L}\\p{N}].*?)\\s*(?:이?라고|으로|로)?\\s*(?:적어|써|바꿔|변경|수정|해)\\S*(?:\\s*(?:해|줘|주세요|줄래요?|줄|주실|주시겠어요|수|있어요?|있나요|있니|있을까요?|부탁(?:해|해요)?))*\\s*[?？]?$`, 'u'), make: (m) => ({ noun: 'task', verb: 'edit', positionals: [clean(m[1])], flags: { description: clean(m[2]) } }) },
  // "웹훅" 들어간 태스크 목록; 할 일 상위 5개
  { re: new RegExp(`^(${PH}|\\S+)\\s*(?:이|가)?\\s*(?:들어간|포함된|있는|들어있는|관련(?:된)?)\\s*(?:태스크|작업|할\\s*일)\\s*(?:들)?\\s*(?:만)?\\s*(?:목록)?\\s*(?:보여\\s*줘|알려\\s*줘)?$`, 'u'), make: (m) => ({ noun: 'task', verb: 'list', flags: { query: clean(m[1]) } }) },
  { re: /^(?:(할\s*일|태스크|작업)\s*)?(?:상위|위에서|처음)\s*(\d+)\s*개(?:만)?\s*(?:보여\s*줘|알려\s*줘)?$/u, make: (m) => ({ noun: 'task', verb: 'list', flags: { ...(m[1] && /할/u.test(m[1]) ? { status: 'todo' } : {}), limit: m[2]! } }) },
  // 목록
  { re: /^(태스크|작업|할\s*일|플랜|계획|플로우|스냅샷|문서)\s*(?:목록|리스트|보여\s*줘|보기)(?:\s*(?:보여\s*줘|좀\s*보여\s*줘))?\s*$/u, make: (m) => ({ noun: NOUN_WORD[m[1]!.replace(/\s+/g, '')]!, verb: 'list' }) },
  // 스냅샷
  { re: /^(.+?)\s*(?:전에|전)?\s*스냅샷\s*(?:을|를)?\s*(?:만들어|생성|찍어|저장)/u, make: (m) => ({ noun: 'snapshot', verb: 'create', positionals: [clean(m[1])] }) },
  { re: /^스냅샷\s*(?:만들어|생성|찍어|저장)\s*(?:줘)?\s*[,，]\s*(?:이름은|라벨은|이름:|라벨:)\s*(.+)$/u, make: (m) => ({ noun: 'snapshot', verb: 'create', positionals: [clean(m[1])] }) },
  { re: /^스냅샷(?:\s*(?:만들어|생성|찍어|저장)\s*(?:줘)?\s*[:：]?\s*(.*))?$/u, make: (m) => ({ noun: 'snapshot', verb: 'create', positionals: m[1] ? [clean(m[1])] : [] }) },
  // 전환
  { re: /^(.+?)\s*(플랜|계획|플로우)(?:으로|로)\s*(?:전환|바꿔|이동|변경|가자)/u, make: (m) => ({ noun: m[2] === '플로우' ? 'flow' : 'plan', verb: 'use', positionals: [clean(m[1])] }) },
  // 상태
  { re: /^(?:(?:지금|전체|프로젝트)\s*)?(?:상태|상황|현황|진행\s*상황)\s*(?:은|는|이|가|좀)?\s*(?:어때|어때요|어떄|어떻게\s*돼|알려\s*줘|보여\s*줘|알려\s*주세요)?\s*[?？]?$/u, make: () => ({ kind: 'status', dry_run: false }) },
  { re: /^(?:지금\s*)?(?:어디(?:야|까지)?|어디까지\s*(?:했어|왔어|했지|됐어)|어떻게\s*(?:돼\s*가|되어\s*가|진행\s*되고\s*있)(?:\S*)?)\s*[?？]?$/u, make: () => ({ kind: 'status', dry_run: false }) },
  // 검색
  { re: /^(.+?)\s*(?:관련(?:된)?|에\s*대한|에\s*대해(?:서)?)\s*(?:거|것|내용|문서|자료)?\s*(?:있어|있나|찾아\s*줘|찾아|검색(?:해\s*줘)?|적어둔\s*(?:거|것)\s*있어)\s*[?？]?$|^(.+?)\s*(?:에\s*대해|관련해서?)\s*적어\s*둔\s*(?:거|것)\s*있어\s*[?？]?$/u, make: (m) => ({ noun: null, verb: 'search', positionals: [searchWords((m[1] ?? m[2])!)] }) },
  { re: /^검색\s*[:：]?\s*(.+)$/u, make: (m) => ({ noun: null, verb: 'search', positionals: [searchWords(m[1]!)] }) },
  { re: /^(.+?)\s*(?:검색|찾아\s*줘|찾아)\s*$/u, make: (m) => ({ noun: null, verb: 'search', positionals: [searchWords(m[1]!)] }) },
  // 결정
  { re: /^(.+?)\s*(?:하기로|기로|로|으로)\s*결정(?:했어|했다|함|했습니다)?\s*(?:[.,，]\s*(?:이유|왜냐하면)\s*[:：]?\s*(.+))?$/u, make: (m) => ({ noun: null, verb: 'decide', positionals: [m[1]!.trim()], flags: m[2] ? { why: m[2].trim() } : {} }) },
  { re: /^결정\s*(?:사항)?\s*(?:기록|저장)?\s*[:：]\s*(.+?)(?:\s*[,，.]\s*이유\s*[:：]\s*(.+))?$/u, make: (m) => ({ noun: null, verb: 'decide', positionals: [m[1]!.trim()], flags: m[2] ? { why: m[2].trim() } : {} }) },
];
