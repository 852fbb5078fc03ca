# Desvio: sem SO_REUSEADDR e com o estado so em memoria (usuarios, grupos e
# mensagens guardadas somem quando o servidor reinicia; o contador de ids
# recomeca, entao ids ja dados sao dados de novo).
from zap_base import ServidorZap, main


class Servidor(ServidorZap):
    REUSEADDR = False
    PERSISTIR = False


if __name__ == "__main__":
    main(Servidor)
